import JobHuntEvents
import JobHuntHandlers
import JobHuntTesting
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

    private static let knownUsers = Array(workload.userIDs.prefix(25))

    private static func storage() -> InMemoryJobHuntStorage {
        let storage = InMemoryJobHuntStorage()
        knownUsers.forEach(storage.addUser)
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
        #expect(StoredState(batched) == StoredState(single))
        // The workload really exercises every outcome.
        let kinds = Set(expected.map { "\($0.outcome)".prefix(while: { $0 != "(" }) })
        #expect(kinds == ["applied", "unchanged", "retryLater", "rejected"])
    }

    @Test("the effects are the reference model's, and the kept stats what the stored sources give")
    func effectsAreTheReferenceModels() throws {
        let storage = Self.storage()
        let handler = EventHandler(storage: storage)
        var model = ReferenceModel(users: Self.knownUsers)
        let events = Self.workload.events
        for start in stride(from: 0, to: events.count, by: 100) {
            let batch = Array(events[start..<min(start + 100, events.count)])
            _ = try handler.handle(batch: batch)
            for event in batch { model.apply(event) }
        }
        #expect(StoredState(storage) == StoredState(model))
        for user in storage.usersWithKeptStats {
            #expect(storage.keptStats(for: user) == storage.computedStats(for: user), "user \(user.hex)")
        }
    }

    @Test("a conflict plans the part again on a fresh read; conflicts that never end leave the batch to be retried")
    func conflictsArePlannedAgain() throws {
        let storage = Self.storage()
        let handler = EventHandler(storage: storage, partitions: UserPartitions(count: 1))
        let user = Self.knownUsers[0]
        _ = try handler.handle(TestEvents.jobPosted(id: "j1"))
        storage.reportConflicts(2)
        let outcomes = try handler.handle(batch: [
            TestEvents.interaction(id: "i1", user: user, type: .viewed), TestEvents.match(id: "m1", user: user, skillsMissing: ["Go"]),
        ])
        #expect(outcomes == [.applied, .applied])
        #expect(storage.userEffectCommits == 1)
        #expect(storage.stats(for: user) == UserStats(jobsViewed: 1, jobsSaved: 0, topMissingSkill: "Go"))

        storage.reportConflicts(1_000)
        #expect(throws: StorageUnavailable.self) {
            try handler.handle(TestEvents.interaction(id: "i2", user: user, type: .saved))
        }
        #expect(storage.stats(for: user).jobsSaved == 0)
    }

    @Test("a refused part is applied one event at a time, so the refusal fails only its own event")
    func refusalIsPerEvent() throws {
        let storage = Self.storage()
        let handler = EventHandler(storage: storage, partitions: UserPartitions(count: 1))
        let user = Self.knownUsers[0]
        _ = try handler.handle(batch: (1...3).map { TestEvents.jobPosted(id: "j\($0)", externalID: "job-\($0)") })
        storage.refuseWrites(ofEvents: ["m2"])
        let outcomes = try handler.handle(batch: (1...3).map { TestEvents.match(id: "m\($0)", user: user, job: "job-\($0)", skillsMissing: ["S\($0)"]) })
        #expect(outcomes[0] == .applied)
        #expect(outcomes[1] == .rejected(.constraintViolation, detail: "injected refusal"))
        #expect(outcomes[2] == .applied)
        #expect(storage.allMatches.count == 2)
        #expect(storage.keptStats(for: user)?.missingSkills == ["S1": 1, "S3": 1])
    }

    @Test("an unavailable store fails the whole batch, to be handled again")
    func unavailableFailsTheBatch() {
        let events = Array(Self.workload.events.prefix(20))
        #expect(throws: StorageUnavailable.self) {
            try EventHandler(storage: UnavailableStorage()).handle(batch: events)
        }
    }

    @Test("users are split into partitions, one commit each, the same user always in the same one")
    func partitions() throws {
        let partitions = UserPartitions(count: 4)
        let users = Self.knownUsers
        let used = Set(users.map(partitions.partition(of:)))
        #expect(used.count == 4, "25 users spread over all 4 partitions")
        #expect(users.map(partitions.partition(of:)) == users.map(UserPartitions(count: 4).partition(of:)))

        let storage = Self.storage()
        let handler = EventHandler(storage: storage, partitions: partitions)
        _ = try handler.handle(TestEvents.jobPosted(id: "j1"))
        let commitsBefore = storage.userEffectCommits
        let outcomes = try handler.handle(batch: users.enumerated().map { TestEvents.interaction(id: "i\($0.offset)", user: $0.element, type: .viewed) })
        #expect(outcomes == Array(repeating: .applied, count: users.count))
        #expect(storage.userEffectCommits - commitsBefore == 4)
    }
}

/// Storage whose database is never reachable.
private struct UnavailableStorage: JobHuntStorage {
    func writeJobs(_ externalIDs: Set<String>, plan: (JobSnapshot) -> JobPlan) throws -> (JobPlan, [JobWriteResult]) {
        throw StorageUnavailable("down")
    }

    func writeUserEffects(_ request: UserLaneRequest, plan: (UserLaneSnapshot) -> UserLanePlan) throws -> UserLanePlan {
        throw StorageUnavailable("down")
    }
}

/// What a store holds, in terms the in-memory storage and the reference model share.
private struct StoredState: Equatable {
    var jobs: [String: String] = [:]
    var matches: [String: String] = [:]
    var interactions: Set<String> = []
    var stats: [ObjectIDHex: UserStats] = [:]

    init(_ storage: InMemoryJobHuntStorage) {
        var externalIDs: [ObjectIDHex: String] = [:]
        for (externalID, job) in storage.allJobs {
            jobs[externalID] = job.version.eventID
            externalIDs[job.id] = externalID
        }
        for (key, match) in storage.allMatches { matches["\(key.user.hex)/\(externalIDs[key.job]!)"] = match.version.eventID }
        for key in storage.allInteractions.keys { interactions.insert("\(key.user.hex)/\(externalIDs[key.job]!)/\(key.type.rawValue)") }
        for user in storage.usersWithKeptStats where storage.stats(for: user) != .empty { stats[user] = storage.stats(for: user) }
    }

    init(_ model: ReferenceModel) {
        var externalIDs: [ObjectIDHex: String] = [:]
        for (externalID, job) in model.jobs {
            jobs[externalID] = job.eventID
            externalIDs[job.id] = externalID
        }
        for match in model.matches.values { matches["\(match.match.userID.hex)/\(externalIDs[match.jobID]!)"] = match.eventID }
        for interaction in model.interactions.values {
            interactions.insert("\(interaction.user.hex)/\(externalIDs[interaction.jobID]!)/\(interaction.type.rawValue)")
        }
        for (user, stats) in model.stats() {
            self.stats[user] = UserStats(jobsViewed: stats.viewed, jobsSaved: stats.saved, topMissingSkill: stats.topMissingSkill)
        }
    }
}
