import Foundation
import JobHuntEvents
import JobHuntHandlers
import JobHuntStore
import JobHuntTesting
import MongoClient
import Synchronization
import Testing

/// A batch whose user-lane parts commit apart: one part is committed when the database fails
/// the other, so the batch is written again as a whole (as after a crash between the two
/// commits, when the broker delivers the unacked batch again). The committed part's events are
/// then no-ops, and nothing is counted twice.
@Suite(.enabled(if: serversAvailable), .timeLimit(.minutes(2)))
struct PartialBatchTests {
    @Test func aBatchRedoneAfterOnlyOneOfItsPartsCommittedCountsNothingTwice() async throws {
        // Two users in different partitions, so one batch of theirs has two parts.
        let partitions = UserPartitions()
        let candidates = (0..<64).map { ObjectIDHex(hex: String(format: "64b7f0c2a1b2c3d4e5f6%04x", $0))! }
        let first = candidates[0]
        let second = try #require(candidates.first { partitions.partition(of: $0) != partitions.partition(of: first) })
        let bed = try TestBed(prefetch: 100)
        defer { bed.tearDown() }
        try bed.setUp()
        try bed.insertUsers([first, second])
        let jobs = (1...3).map { TestEvents.jobPosted(id: "j\($0)", externalID: "job-\($0)") }
        var interactions: [Event] = []
        for user in [first, second] {
            for job in 1...3 {
                interactions.append(TestEvents.interaction(id: "v-\(user.hex)-\(job)", user: user, job: "job-\(job)", type: .viewed))
                interactions.append(TestEvents.interaction(id: "s-\(user.hex)-\(job)", user: user, job: "job-\(job)", type: .saved))
            }
        }
        let storage = FailingSecondPart(base: MongoJobHuntStorage(database: bed.database), failing: second, after: first)
        try await bed.withWorker(storage: storage) {
            try bed.publish(jobs.map(\.body))
            try await waitUntil { try bed.database.collection("jobs").countDocuments() == jobs.count }
            // One publish of every interaction, so that the consumer reads them as one batch.
            try bed.publish(interactions.map(\.body), routingKey: "interaction.recorded")
            try await waitUntil { try bed.messagesInFlight() == 0 && bed.database.collection("user_job_interactions").countDocuments() == 12 }
        }
        #expect(storage.failures == 1, "the second part failed once, after the first had committed")
        let stats = bed.database.collection("user_stats")
        for user in [first, second] {
            let document = try #require(try stats.findOne(filter: ["user_id": .objectID(ObjectID(bytes: user.bytes)!)]))
            #expect(document.int("jobs_viewed") == 3 && document.int("jobs_saved") == 3, "stats of \(user.hex)")
        }
        #expect(try bed.deadLetters().isEmpty)
    }
}

/// `base`, except that the first part holding `failing` waits until a part holding `after`
/// committed, then fails as an unavailable database would.
private final class FailingSecondPart: JobHuntStorage {
    let base: MongoJobHuntStorage
    let failing: ObjectIDHex
    let after: ObjectIDHex
    private let state = Mutex((committed: false, failures: 0))

    init(base: MongoJobHuntStorage, failing: ObjectIDHex, after: ObjectIDHex) {
        self.base = base
        self.failing = failing
        self.after = after
    }

    var failures: Int { state.withLock { $0.failures } }

    func writeJobs(_ externalIDs: Set<String>, plan: (JobSnapshot) -> JobPlan) throws -> (JobPlan, [JobWriteResult]) {
        try base.writeJobs(externalIDs, plan: plan)
    }

    func writeUserEffects(_ request: UserLaneRequest, plan: (UserLaneSnapshot) -> UserLanePlan) throws -> UserLanePlan {
        if request.users.contains(failing), state.withLock({ $0.failures == 0 }) {
            let deadline = ContinuousClock.now + .seconds(10)
            while !state.withLock({ $0.committed }), ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.01) }
            state.withLock { $0.failures += 1 }
            throw StorageUnavailable("injected: the database failed this part after the other committed")
        }
        let result = try base.writeUserEffects(request, plan: plan)
        if request.users.contains(after) { state.withLock { $0.committed = true } }
        return result
    }
}
