import JobHuntEvents

/// Applies decoded events to a `JobHuntStorage`, idempotently, in batches; a single event is a
/// batch of one.
///
/// - JobPosted: the posting's full state; only a newer version replaces it (`JobPlan`).
/// - MatchComputed and InteractionRecorded need their user and job (a missing one is
///   `retryLater`: events cross queues out of order), and commit with the stats they change
///   (`UserLanePlan`). They are split by user into `UserPartitions`, one transaction each,
///   committed at once on threads of their own.
///
/// When another writer changes a key between the read and the write, the part is planned again
/// on a fresh read. When the database refuses a part, its events are applied one by one, so a
/// refused write fails only its own event.
public struct EventHandler: Sendable {
    let storage: any JobHuntStorage
    let partitions: UserPartitions

    /// How often a part whose keys keep changing under it is planned again before it is
    /// treated as unavailable (and the whole batch retried later).
    static let conflictAttempts = 5

    /// A handler that writes to `storage`, the user lane split into `partitions`.
    public init(storage: any JobHuntStorage, partitions: UserPartitions = UserPartitions()) {
        self.storage = storage
        self.partitions = partitions
    }

    /// Applies `event`. Throws `StorageUnavailable` only; every other failure is an outcome.
    public func handle(_ event: Event) throws(StorageUnavailable) -> HandlingOutcome {
        try handle(batch: [event])[0]
    }

    /// Applies `events`, with the outcomes (in order) of handling them one by one in that
    /// order. Throws `StorageUnavailable` only; the whole batch may then be handled again
    /// (every write is idempotent).
    public func handle(batch events: [Event]) throws(StorageUnavailable) -> [HandlingOutcome] {
        var outcomes = [HandlingOutcome?](repeating: nil, count: events.count)
        let jobs = events.indices.filter { if case .jobPosted = events[$0].payload { true } else { false } }
        let userEffects = events.indices.filter { if case .jobPosted = events[$0].payload { false } else { true } }
        do {
            for (position, outcome) in zip(jobs, try applyJobs(jobs.map { events[$0] })) { outcomes[position] = outcome }
            let parts = partitions.split(userEffects) { Self.user(of: events[$0]) }
            let results = partitions.runConcurrently(parts) { part, positions in
                Result { () throws(StorageUnavailable) in
                    try applyUserEffects(positions.map { events[$0] }, lock: part)
                }
            }
            for (positions, result) in zip(parts.map(\.positions), results) {
                for (position, outcome) in zip(positions, try result.get()) { outcomes[position] = outcome }
            }
        } catch let failure as StorageUnavailable {
            throw failure
        } catch {
            throw StorageUnavailable("unexpected storage error: \(error)")
        }
        return outcomes.map { $0 ?? .rejected(.constraintViolation, detail: "the batch left this event without an outcome") }
    }

    // MARK: - Jobs

    /// Plans and writes `events` (JobPosted); events whose write met another writer's change
    /// are planned again on a fresh read.
    private func applyJobs(_ events: [Event]) throws -> [HandlingOutcome] {
        var outcomes = [HandlingOutcome?](repeating: nil, count: events.count)
        var pending = Array(events.indices)
        for _ in 0..<Self.conflictAttempts where !pending.isEmpty {
            let jobs = pending.map { position -> (job: JobPosting, version: EventVersion) in
                guard case .jobPosted(let job) = events[position].payload else { preconditionFailure("JobPosted only") }
                return (job, EventVersion(of: events[position].metadata))
            }
            let (plan, results) = try storage.writeJobs(Set(jobs.map(\.job.externalID))) { JobPlan(jobs, over: $0) }
            var again: [Int] = []
            var oneByOne: [Int] = []
            for (index, outcome) in plan.outcomes.enumerated() { outcomes[pending[index]] = outcome }
            for (eventsOfWrite, result) in zip(plan.eventsOfWrite, results) {
                switch result {
                case .written: continue
                case .conflict: again += eventsOfWrite.map { pending[$0] }
                case .refused(let rejection) where eventsOfWrite.count == 1:
                    outcomes[pending[eventsOfWrite[0]]] = .rejected(rejection.reason, detail: rejection.description)
                case .refused: oneByOne += eventsOfWrite.map { pending[$0] }
                }
            }
            for position in oneByOne { outcomes[position] = try applyJobs([events[position]])[0] }
            pending = again.sorted()
        }
        guard pending.isEmpty else { throw StorageUnavailable("job postings kept changing under concurrent writes") }
        return outcomes.map { $0! }
    }

    // MARK: - Matches and interactions

    /// Plans and commits one part; planned again on a fresh read after a conflict, and applied
    /// one event at a time when the database refuses it.
    private func applyUserEffects(_ events: [Event], lock part: Int) throws(StorageUnavailable) -> [HandlingOutcome] {
        do {
            for _ in 0..<Self.conflictAttempts {
                do {
                    return try partitions.withLock(part) {
                        try storage.writeUserEffects(UserLanePlan.request(for: events)) { UserLanePlan(events, over: $0) }.outcomes
                    }
                } catch is StorageConflict {
                    continue
                }
            }
            if events.count > 1 { return try oneByOne(events, lock: part) }
            throw StorageUnavailable("the user's matches or interactions kept changing under concurrent writes")
        } catch let rejection as StorageRejection {
            if events.count > 1 { return try oneByOne(events, lock: part) }
            return [.rejected(rejection.reason, detail: rejection.description)]
        } catch let failure as StorageUnavailable {
            throw failure
        } catch {
            throw StorageUnavailable("unexpected storage error: \(error)")
        }
    }

    private func oneByOne(_ events: [Event], lock part: Int) throws(StorageUnavailable) -> [HandlingOutcome] {
        var outcomes: [HandlingOutcome] = []
        for event in events { outcomes += try applyUserEffects([event], lock: part) }
        return outcomes
    }

    private static func user(of event: Event) -> ObjectIDHex? {
        switch event.payload {
        case .jobPosted: return nil
        case .matchComputed(let match): return match.userID
        case .interactionRecorded(let interaction): return interaction.userID
        }
    }
}
