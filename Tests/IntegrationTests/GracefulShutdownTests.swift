import Foundation
import JobHuntEvents
import JobHuntTesting
import Testing

@Suite(.enabled(if: serversAvailable), .timeLimit(.minutes(3)))
struct GracefulShutdownTests {
    @Test func sigtermDuringConsumptionExitsZeroAndLosesNothing() async throws {
        let bed = try TestBed(prefetch: 200)
        defer { bed.tearDown() }
        try bed.setUp()
        let total = 3000
        let bodies = (0..<total).map { TestEvents.fullJobPosted(id: "e\($0)", time: "2026-11-24T10:00:00Z", externalID: "job-\($0)").body }
        try bed.publish(bodies)
        let jobs = bed.database.collection("jobs")
        let queue = bed.topology.queue(for: .jobPosted)

        let worker = WorkerProcess(arguments: ["run"], environment: bed.environment)
        try worker.start()
        try await worker.waitUntilConsuming()
        try await waitUntil { try jobs.countDocuments(filter: [:]) >= 100 }
        worker.signal(SIGTERM)
        let (status, output) = try await worker.waitForExit()
        #expect(status == 0, "worker output:\n\(output)")

        // Every event is either applied or still waiting in its queue; none dead, none doubled.
        let applied = try jobs.countDocuments(filter: [:])
        let waiting = try bed.messageCount(queue)
        #expect(applied + waiting == total, "applied \(applied), waiting \(waiting)")
        #expect(try bed.deadLetters().isEmpty)

        // A new worker finishes the rest.
        let second = WorkerProcess(arguments: ["run"], environment: bed.environment)
        try second.start()
        try await second.waitUntilConsuming()
        try await waitUntil(timeout: .seconds(60)) { try jobs.countDocuments(filter: [:]) == total }
        second.signal(SIGINT)
        #expect(try await second.waitForExit().status == 0)
    }

    @Test func sigtermDuringStartupIsAGracefulShutdownToo() async throws {
        let bed = try TestBed()
        defer { bed.tearDown() }
        let worker = WorkerProcess(arguments: ["run"], environment: bed.environment)
        try worker.start()
        try await waitUntil { worker.outputSoFar.contains("declaring topology and indexes") }
        worker.signal(SIGTERM)
        let (status, output) = try await worker.waitForExit()
        #expect(status == 0, "\(output)")
    }
}
