import OperationsHTTP
import Testing

@testable import JobHuntWorker

@Suite struct OperationsRoutesTests {
    @Test func eachPathAnswersWhatTheContractSays() {
        let board = HealthBoard(limits: .init()) { _, _ in }
        let routes = OperationsRoutes(health: board) { "jobhunt_events_total 0\n" }
        #expect(routes.respond(to: "/livez").status == 200)
        let notReady = routes.respond(to: "/readyz")
        #expect(notReady.status == 503)
        #expect(notReady.contentType == "application/json")
        #expect(notReady.body == #"{"status":"not ready","missing":["no consumer started yet","MongoDB has not answered yet"]}"# + "\n")
        board.register(consumer: "q-1", queue: "q")
        board.channel(of: "q-1", open: true)
        board.databaseAnswered()
        #expect(routes.respond(to: "/readyz") == HTTPResponse(status: 200, contentType: "application/json", body: "{\"status\":\"ready\"}\n"))
        #expect(routes.respond(to: "/metrics").body == "jobhunt_events_total 0\n")
        #expect(routes.respond(to: "/metrics").contentType.hasPrefix("text/plain; version=0.0.4"))
        #expect(routes.respond(to: "/").status == 404)
    }

    @Test func aStuckConsumerFailsLiveness() {
        let start = ContinuousClock.now
        let board = HealthBoard(limits: .init(stallLimit: .seconds(1))) { _, _ in }
        board.register(consumer: "q-1", queue: "q", now: start - .seconds(5))
        let response = OperationsRoutes(health: board) { "" }.respond(to: "/livez")
        #expect(response.status == 503)
        #expect(response.body.contains("consumer q-1 is stuck"))
    }
}
