import Foundation
import JobHuntEvents
import JobHuntTesting
import Testing

/// Infrastructure failures are never dead letters: MongoDB stops while events are consumed,
/// comes back, and everything is applied, nothing lost, nothing dead-lettered.
@Suite(.enabled(if: serversAvailable && PrivateReplicaSet.available), .timeLimit(.minutes(4)))
struct OutageTests {
    @Test func mongoDBStoppedAndRestartedLosesNothingDeadLettersNothingAndKeepsHeartbeats() async throws {
        let mongod = PrivateReplicaSet()
        defer { mongod.remove() }
        try await onOwnThread { try mongod.start() }
        let bed = try TestBed(prefetch: 50, mongoURI: mongod.uri)
        defer { bed.tearDown() }
        try bed.setUp()
        let jobs = bed.database.collection("jobs")
        let before = (0..<400).map { TestEvents.fullJobPosted(id: "a\($0)", time: "2026-11-24T10:00:00Z", externalID: "job-a\($0)").body }
        let during = (0..<200).map { TestEvents.fullJobPosted(id: "b\($0)", time: "2026-11-24T10:00:00Z", externalID: "job-b\($0)").body }
        try bed.publish(before)

        // A 1 s heartbeat: the broker drops a connection silent for about 2 s, and the outage
        // below lasts longer, while every writer waits on the database.
        var environment = bed.environment
        environment["JOBHUNT_HEARTBEAT_S"] = "1"
        let worker = WorkerProcess(arguments: ["run"], environment: environment)
        try worker.start()
        try await waitUntil(timeout: .seconds(60)) { try jobs.countDocuments() >= 50 }
        try await onOwnThread { try mongod.stop() }
        try bed.publish(during)
        try await Task.sleep(for: .seconds(4))
        #expect(worker.process.isRunning, "the worker gave up while the database was down")
        try await onOwnThread { try mongod.start() }

        try await waitUntil(timeout: .seconds(120), every: .milliseconds(500)) { try jobs.countDocuments() == before.count + during.count }
        #expect(try bed.deadLetters().isEmpty)
        #expect(try bed.messagesInFlight() == 0)
        worker.signal(SIGTERM)
        let (status, output) = try await worker.waitForExit()
        #expect(status == 0)
        #expect(output.contains("database unavailable"), "the outage was not noticed:\n\(output.suffix(2000))")
        #expect(!output.contains("consumer connection failed"), "heartbeats stopped while writes waited:\n\(output.suffix(2000))")
    }
}
