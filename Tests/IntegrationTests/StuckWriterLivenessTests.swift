import Foundation
import JobHuntEvents
import JobHuntTesting
import MongoClient
import Testing

/// Contract §7 on the real binary: `/livez` turns 503 naming the writer while it is blocked in
/// one call to a stalled MongoDB connection for longer than `JOBHUNT_STUCK_AFTER_S`, and 200
/// again once the call returns; nothing is lost. The stall is `FaultProxy`'s in front of the
/// shared MongoDB: the bytes pile up and are forwarded on `resume()`, so the blocked write
/// ends then (well before libmongoc's default `socketTimeoutMS` of 5 minutes).
@Suite(.enabled(if: serversAvailable), .timeLimit(.minutes(3)))
struct StuckWriterLivenessTests {
    @Test func aWriterBlockedOnAStalledDatabaseIsStuckUntilTheStallEnds() async throws {
        let bed = try TestBed()
        defer { bed.tearDown() }
        try bed.setUp()
        let (proxy, uri) = try FaultProxy.inFrontOfSharedMongoDB()
        defer { proxy.close() }
        let worker = try EndpointWorker(bed: bed, ["MONGODB_URI": uri, "JOBHUNT_STUCK_AFTER_S": "4"])
        try await worker.process.waitUntilConsuming()
        let jobs = bed.database.collection("jobs")
        func published(_ range: ClosedRange<Int>) -> [[UInt8]] {
            range.map { TestEvents.jobPosted(id: "stuck-\($0)", externalID: "stuck-job-\($0)").body }
        }
        try bed.publish(published(1...3))
        try await waitUntil(timeout: .seconds(30)) { try jobs.countDocuments() == 3 }
        #expect(worker.status("/livez") == 200)

        // The next batch's write hangs in libmongoc, with no progress to report.
        proxy.stall()
        let stalled = ContinuousClock.now
        try bed.publish(published(4...6))
        try await waitUntil(timeout: .seconds(20), every: .milliseconds(100)) { worker.status("/livez") == 503 }
        let stuck = try #require(worker.get("/livez"))
        proxy.resume()
        let stallLasted = ContinuousClock.now - stalled
        #expect(stuck.body.contains(#""status":"stuck""#) && stuck.body.contains("the writer of \(bed.topology.queue(for: .jobPosted))-"), "\(stuck.body)")
        #expect(!stuck.body.contains(#""consumer "#), "only the writer is stuck: \(stuck.body)")
        #expect(stallLasted >= .seconds(4), "stuck after \(stallLasted), before the limit")

        try await waitUntil(timeout: .seconds(30), every: .milliseconds(100)) { worker.status("/livez") == 200 }
        try await waitUntil(timeout: .seconds(30)) { try jobs.countDocuments() == 6 && bed.messagesInFlight() == 0 }
        #expect(try bed.deadLetters().isEmpty)

        worker.process.signal(SIGTERM)
        let exit = try await worker.process.waitForExit()
        #expect(exit.status == 0, "\(exit.output.suffix(3000))")
    }

    @Test(arguments: ["0", "-3", "soon", ""])
    func aMalformedStallLimitIsAUsageError(value: String) async throws {
        var environment = ProcessInfo.processInfo.environment
        environment["JOBHUNT_STUCK_AFTER_S"] = value
        let command = WorkerProcess(arguments: ["run"], environment: environment)
        try command.start()
        let (status, output) = try await command.waitForExit(timeout: .seconds(30))
        #expect(status == 64, "\(output)")
        #expect(output.contains("JOBHUNT_STUCK_AFTER_S must be a whole number from 1 to 86400"), "\(output)")
    }
}
