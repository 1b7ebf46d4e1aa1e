import AMQPClient
import Foundation
import Testing

/// Contract §8, the network: connections to the broker cut, over and over, and the
/// connection to MongoDB stalled for longer than the AMQP heartbeat, through a proxy of the
/// test's own (`FaultProxy`) in front of the shared servers.
extension FaultScenarios {
@Suite(.enabled(if: serversAvailable), .timeLimit(.minutes(6)))
struct ConnectionFaultTests {
    private func brokerProxy(_ bed: TestBed) throws -> FaultProxy {
        let broker = try AMQPURL(bed.configuration.amqpURL)
        return try FaultProxy(targetHost: broker.host, targetPort: broker.port)
    }

    /// The worker's broker URL through `proxy`.
    private func url(through proxy: FaultProxy) -> String { "amqp://guest:guest@127.0.0.1:\(proxy.port)/%2f" }

    /// A lost connection returns every unacked delivery and counts toward the delivery limit
    /// (contract §3). 25 cuts, each while a consumer holds up to a prefetch of 2,000: a message
    /// can be delivered 26 times without being settled, below the default limit of 50, so
    /// nothing innocent becomes `poison` (with a limit of 20, some does).
    @Test func brokerConnectionsCutInABurstWithALargePrefetchLoseNothingAndPoisonNothing() async throws {
        let bed = try TestBed(retryWindowSeconds: 600, deliveryLimit: 50, prefetch: 2_000)
        defer { bed.tearDown() }
        let proxy = try brokerProxy(bed)
        defer { proxy.close() }
        let scenario = try await FaultScenario("broker connections cut 25 times (prefetch 2000, delivery limit 50)", bed: bed)
        try scenario.startWorker(["AMQP_URL": url(through: proxy)])
        try await scenario.waitUntilMidStream()
        for _ in 0..<25 {
            proxy.cut()
            try await Task.sleep(for: .milliseconds(400))
        }
        try await scenario.expectRecovered(faultEnded: .now)
    }

    @Test func databaseConnectionStalledLongerThanTheHeartbeat() async throws {
        let bed = try TestBed(retryWindowSeconds: 600, deliveryLimit: 50, prefetch: 500)
        defer { bed.tearDown() }
        let database = try #require(ProcessInfo.processInfo.environment["JOBHUNT_MONGO_PORT"].flatMap(Int.init))
        let proxy = try FaultProxy(targetPort: database)
        defer { proxy.close() }
        let scenario = try await FaultScenario("database connection stalled 6 s (heartbeat 1 s)", bed: bed)
        // directConnection: a replica-set URI would lead the driver to the member's own address.
        let worker = try scenario.startWorker([
            "MONGODB_URI": "mongodb://127.0.0.1:\(proxy.port)/?directConnection=true&w=majority",
            "JOBHUNT_HEARTBEAT_S": "1",
        ])
        try await scenario.waitUntilMidStream()
        proxy.stall()
        try await Task.sleep(for: .seconds(6))
        proxy.resume()
        try await scenario.expectRecovered(faultEnded: .now)
        #expect(!worker.outputSoFar.contains("consumer connection failed"), "heartbeats stopped while the database stalled")
    }

    @Test func sigtermWhileTheDatabaseStallsExitsWithinThirtySeconds() async throws {
        let bed = try TestBed(retryWindowSeconds: 600, deliveryLimit: 50, prefetch: 500)
        defer { bed.tearDown() }
        let database = try #require(ProcessInfo.processInfo.environment["JOBHUNT_MONGO_PORT"].flatMap(Int.init))
        let proxy = try FaultProxy(targetPort: database)
        defer { proxy.close() }
        let scenario = try await FaultScenario("SIGTERM while the database stalls", bed: bed)
        let first = try scenario.startWorker([
            "MONGODB_URI": "mongodb://127.0.0.1:\(proxy.port)/?directConnection=true&w=majority", "JOBHUNT_DRAIN_TIMEOUT_S": "10",
        ])
        try await scenario.waitUntilMidStream()
        proxy.stall()
        try await Task.sleep(for: .seconds(1))
        try await scenario.expectPromptExitOnSigterm(first)
        proxy.cut()
        proxy.resume()
        try scenario.startWorker()
        try await scenario.expectRecovered(faultEnded: .now)
    }
}
}
