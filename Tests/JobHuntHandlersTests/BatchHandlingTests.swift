import JobHuntEvents
@testable import JobHuntHandlers
import JobHuntWorkload
import Testing

@Suite struct BatchHandlingTests {
    /// A small, collision-heavy workload: few users and jobs, so batches often hold several
    /// events of one key, stale versions and duplicates; a few users do not exist.
    private static let workload: Workload = {
        var spec = WorkloadSpec()
        spec.users = 30
        spec.jobs = 40
        spec.events = 3_000
        spec.duplicateShare = 0.05
        spec.invalidShare = 0.02
        return Workload(spec)
    }()

    private static func storage() -> InMemoryJobHuntStorage {
        let storage = InMemoryJobHuntStorage()
        workload.userIDs.prefix(25).forEach(storage.addUser)
        return storage
    }

    @Test("a batch has the outcomes and the effects of its events handled one by one", arguments: [1, 7, 64, 500])
    func batchEqualsOneByOne(batchSize: Int) throws {
        let bodies = Self.workload.messages.map(\.body)
        let single = Self.storage()
        let expected = try bodies.map { try MessageProcessor(handler: EventHandler(storage: single)).process($0) }

        let batched = Self.storage()
        let processor = MessageProcessor(handler: EventHandler(storage: batched))
        var actual: [ProcessedMessage] = []
        for start in stride(from: 0, to: bodies.count, by: batchSize) {
            actual += try processor.process(batch: Array(bodies[start..<min(start + batchSize, bodies.count)]))
        }

        #expect(actual == expected)
        #expect(Set(batched.allJobs) == Set(single.allJobs))
        #expect(Set(batched.allMatches) == Set(single.allMatches))
        #expect(Set(batched.allInteractions.map { "\($0)" }) == Set(single.allInteractions.map { "\($0)" }))
        #expect(batched.allStats() == single.allStats())
        // The workload really exercises every outcome.
        let kinds = Set(expected.map { "\($0.outcome)".prefix(while: { $0 != "(" }) })
        #expect(kinds == ["applied", "unchanged", "retryLater", "rejected"])
    }

    @Test("events of the same key go to successive rounds, in order")
    func rounds() {
        #expect(EventHandler.rounds(["a", "b", "a", "c", "a", "b"]) == [[0, 1, 3], [2, 5], [4]])
        #expect(EventHandler.rounds([String]()) == [])
    }

    @Test("a refused write fails only its own event")
    func refusalIsPerEvent() throws {
        var seen = Set<String>()
        let jobs = Self.workload.events.filter { event in
            guard case .jobPosted(let job) = event.payload else { return false }
            return seen.insert(job.externalID).inserted
        }.prefix(5)
        let refused = try #require(jobs.dropFirst(2).first)
        guard case .jobPosted(let refusedJob) = refused.payload else { return }
        let storage = RefusingStorage(refusedExternalID: refusedJob.externalID)
        let outcomes = try EventHandler(storage: storage).handle(batch: Array(jobs))
        #expect(outcomes.count == jobs.count)
        for (event, outcome) in zip(jobs, outcomes) {
            if event == refused {
                #expect(outcome == .rejected(.constraintViolation, detail: "refused on purpose"))
            } else {
                #expect(outcome == .applied)
            }
        }
        #expect(storage.inner.jobCount == jobs.count - 1)
    }

    @Test("an unavailable store fails the whole batch, to be handled again")
    func unavailableFailsTheBatch() {
        let events = Array(Self.workload.events.prefix(20))
        #expect(throws: StorageUnavailable.self) {
            try EventHandler(storage: RefusingStorage(refusedExternalID: nil, unavailable: true)).handle(batch: events)
        }
    }
}

/// In-memory storage that refuses one external id, or is unavailable altogether.
private struct RefusingStorage: JobHuntStorage {
    let inner = InMemoryJobHuntStorage()
    let refusedExternalID: String?
    var unavailable = false

    func upsertJob(_ job: JobPosting, version: EventVersion) throws -> VersionedWriteResult {
        if unavailable { throw StorageUnavailable("down on purpose") }
        if job.externalID == refusedExternalID { throw StorageRejection(.constraintViolation, "refused on purpose") }
        return try inner.upsertJob(job, version: version)
    }

    func userExists(_ userID: ObjectIDHex) throws -> Bool {
        if unavailable { throw StorageUnavailable("down on purpose") }
        return try inner.userExists(userID)
    }

    func jobID(for reference: JobReference) throws -> ObjectIDHex? { try inner.jobID(for: reference) }

    func upsertMatch(_ match: MatchComputed, jobID: ObjectIDHex, version: EventVersion) throws -> VersionedWriteResult {
        try inner.upsertMatch(match, jobID: jobID, version: version)
    }

    func recordInteraction(_ interaction: InteractionRecorded, jobID: ObjectIDHex, version: EventVersion) throws -> InteractionWriteResult {
        try inner.recordInteraction(interaction, jobID: jobID, version: version)
    }
}
