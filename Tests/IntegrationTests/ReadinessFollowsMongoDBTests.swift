import Foundation
import JobHuntTesting
import MongoClient
import Synchronization
import Testing

/// Contract §7 on the real binary: `/readyz` follows MongoDB going away and coming back, while
/// `/livez` stays 200 because a writer waiting out the outage is making progress. A replica set
/// of the test's own, so that stopping it disturbs no other test; the shared broker.
@Suite(.enabled(if: serversAvailable && PrivateReplicaSet.available), .timeLimit(.minutes(3)))
struct ReadinessFollowsMongoDBTests {
    @Test func readinessFollowsMongoDBAndWaitingOutTheOutageStaysLive() async throws {
        let replicaSet = PrivateReplicaSet()
        defer { replicaSet.remove() }
        try await onOwnThread { try replicaSet.start() }
        let bed = try TestBed(mongoURI: replicaSet.uri)
        defer { bed.tearDown() }
        try bed.setUp()
        // A stall limit well below the outage: only progress reports keep /livez at 200.
        let worker = try EndpointWorker(bed: bed, ["JOBHUNT_STUCK_AFTER_S": "4"])
        try await worker.process.waitUntilConsuming()
        try await waitUntil(timeout: .seconds(30)) { worker.status("/readyz") == 200 }

        try await onOwnThread { try replicaSet.stop() }
        // A job written during the outage: its writer holds the batch and waits the outage out.
        try bed.publish([TestEvents.jobPosted(id: "during-the-outage", externalID: "job-outage").body])
        let outageStarted = ContinuousClock.now
        let livenessSeen = Mutex<[Int?]>([])
        try await waitUntil(timeout: .seconds(60), every: .milliseconds(200)) {
            livenessSeen.withLock { $0.append(worker.status("/livez")) }
            return worker.status("/readyz") == 503
        }
        let watched = ContinuousClock.now - outageStarted
        let notReady = try #require(worker.get("/readyz"))
        #expect(notReady.status == 503)
        #expect(notReady.body.contains(#""status":"not ready""#) && notReady.body.contains("MongoDB has not answered for"), "\(notReady.body)")
        #expect(!notReady.body.contains("channel"), "the consumers kept their channels: \(notReady.body)")
        // Readiness waits 15 s for MongoDB: by then the writer has waited far beyond the stall
        // limit, and /livez was asked all along (how often depends on the machine's load).
        let liveness = livenessSeen.withLock { $0 }
        #expect(watched > .seconds(8) && liveness.count >= 5, "watched \(watched), \(liveness.count) answers")
        #expect(liveness.allSatisfy { $0 == 200 }, "/livez during the outage: \(liveness)")
        #expect(worker.status("/livez") == 200)

        try await onOwnThread { try replicaSet.start() }
        try await waitUntil(timeout: .seconds(60), every: .milliseconds(200)) { worker.status("/readyz") == 200 }
        let jobs = bed.database.collection("jobs")
        try await waitUntil(timeout: .seconds(30)) { try jobs.countDocuments(filter: ["external_id": "job-outage"]) == 1 }
        #expect(worker.status("/livez") == 200)

        worker.process.signal(SIGTERM)
        let exit = try await worker.process.waitForExit()
        #expect(exit.status == 0, "\(exit.output.suffix(3000))")
    }
}
