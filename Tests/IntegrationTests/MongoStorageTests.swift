import Foundation
import JobHuntEvents
import JobHuntHandlers
@testable import JobHuntStore
import JobHuntTesting
import JobHuntWorkload
import MongoClient
import Synchronization
import Testing

/// The handlers' plans carried out by `MongoJobHuntStorage` on a real MongoDB: the reference
/// model's state, exact kept counts, refusals that fail only their own event, and other writers
/// changing keys between the read and the write.
@Suite(.enabled(if: serversAvailable), .timeLimit(.minutes(3)))
struct MongoStorageTests {
    @Test func aWorkloadLeavesTheReferenceStateWithTheOutcomesOfTheInMemoryStorage() throws {
        var spec = WorkloadSpec()
        (spec.users, spec.jobs, spec.events, spec.duplicateShare, spec.invalidShare, spec.seed) = (12, 40, 600, 0.05, 0, 7)
        let workload = Workload(spec)
        let bed = try StorageBed()
        defer { bed.tearDown() }
        try bed.bed.insertUsers(workload.userIDs)
        let memory = InMemoryJobHuntStorage()
        workload.userIDs.forEach(memory.addUser)

        let mongoOutcomes = try applyUntilSettled(workload.events, with: bed.handler())
        let memoryOutcomes = try applyUntilSettled(workload.events, with: EventHandler(storage: memory))
        #expect(mongoOutcomes == memoryOutcomes)
        let expected = ExpectedState(of: workload)
        let actual = try ExpectedState(of: bed.database)
        #expect(actual == expected, "\(expected.differences(from: actual))")
        try bed.expectNoDrift()
    }

    @Test func jobsFollowTheVersionRule() throws {
        let bed = try StorageBed()
        defer { bed.tearDown() }
        let handler = bed.handler()
        _ = try handler.handle(batch: [
            job("a", "10", "e-a1"), job("b", "10", "e-b1"), job("c", "10", "e-c5"), job("d", "20", "e-d1"), job("e", "10", "e-e5"),
        ])
        // A posting written by someone else: no version recorded, so any event replaces it.
        try bed.database.collection("jobs").insertOne(["external_id": "f", "title": "from the backend", "company": "c"])
        let batch = [
            job("a", "20", "e-a2"), job("b", "10", "e-b1"), job("c", "10", "e-c1"), job("d", "15", "e-d0"),
            job("e", "10", "e-e9"), job("f", "05", "e-f1"), job("g", "30", "e-g1"), job("g", "31", "e-g2"),
        ]
        let outcomes = try handler.handle(batch: batch)
        #expect(outcomes == [
            .applied, .unchanged(.duplicateEvent), .unchanged(.staleVersion), .unchanged(.staleVersion),
            .applied, .applied, .applied, .applied,
        ])
        let stored = try bed.database.collection("jobs").find().reduce(into: [String: String]()) {
            $0[$1.string("external_id")!] = $1.string("last_event_id")
        }
        #expect(stored == ["a": "e-a2", "b": "e-b1", "c": "e-c5", "d": "e-d1", "e": "e-e9", "f": "e-f1", "g": "e-g2"])
        #expect(try handler.handle(batch: batch).allSatisfy { if case .unchanged = $0 { true } else { false } })
    }

    @Test func aJobTheValidatorRefusesFailsAloneInItsBatch() throws {
        let bed = try StorageBed()
        defer { bed.tearDown() }
        let handler = bed.handler()
        _ = try handler.handle(job("kept", "10", "e-k1"))
        // The REST backend's own rule on jobs: MongoDB refuses a title over 40 characters.
        _ = try bed.database.runCommand(["collMod": "jobs", "validator": ["$jsonSchema": ["properties": ["title": ["maxLength": 40]]]]])
        let outcomes = try handler.handle(batch: [
            job("ok-1", "10", "e-1"), job("long", "10", "e-2", title: String(repeating: "T", count: 41)), job("ok-2", "10", "e-3"),
            job("kept", "10", "e-k1"),
        ])
        #expect(outcomes[0] == .applied && outcomes[2] == .applied && outcomes[3] == .unchanged(.duplicateEvent))
        guard case .rejected(.constraintViolation, let detail) = outcomes[1] else {
            Issue.record("expected constraint_violation, got \(outcomes[1])")
            return
        }
        #expect(detail.hasPrefix("MongoDB refused the write: ") && detail.contains("121"), "document validation failure")
        let stored = try bed.database.collection("jobs").find().compactMap { $0.string("external_id") }
        #expect(Set(stored) == ["kept", "ok-1", "ok-2"])
    }

    @Test func aMatchTheValidatorRefusesFailsAloneAndTheRestIsWrittenWithExactStats() throws {
        let bed = try StorageBed()
        defer { bed.tearDown() }
        try bed.bed.insertUsers([user1, user2])
        let handler = bed.handler(partitions: 1)
        _ = try handler.handle(batch: [job("j1", "01", "e-j1"), job("j2", "01", "e-j2")])
        _ = try bed.database.runCommand(["collMod": "job_matches", "validator": ["$jsonSchema": ["properties": ["relevancy_score": ["maximum": 0.95]]]]])
        let outcomes = try handler.handle(batch: [
            TestEvents.match(id: "m-1", user: user1, job: "j1", skillsMissing: ["Go"]),
            TestEvents.match(id: "m-2", user: user1, job: "j2", score: 0.99, skillsMissing: ["Rust"]),
            TestEvents.match(id: "m-3", user: user2, job: "j1", skillsMissing: ["SQL"]),
            TestEvents.interaction(id: "i-1", user: user1, job: "j1", type: .viewed),
        ])
        #expect(outcomes[0] == .applied && outcomes[2] == .applied && outcomes[3] == .applied)
        guard case .rejected(.constraintViolation, _) = outcomes[1] else {
            Issue.record("expected constraint_violation, got \(outcomes[1])")
            return
        }
        #expect(try bed.stats(of: user1) == UserStats(jobsViewed: 1, jobsSaved: 0, topMissingSkill: "Go"))
        #expect(try bed.stats(of: user2) == UserStats(jobsViewed: 0, jobsSaved: 0, topMissingSkill: "SQL"))
        try bed.expectNoDrift()
    }

    @Test func skillCountsFollowEveryMatchChangeAndStoreSkillsAsValues() throws {
        let bed = try StorageBed()
        defer { bed.tearDown() }
        try bed.bed.insertUsers([user1])
        let handler = bed.handler()
        _ = try handler.handle(batch: (1...3).map { job("j\($0)", "01", "e-j\($0)") })
        let steps: [(Event, String?)] = [
            (TestEvents.match(id: "m1", time: t(1), user: user1, job: "j1", skillsMissing: ["a.b", "$x", "a.b"]), "$x"),
            (TestEvents.match(id: "m2", time: t(1), user: user1, job: "j2", skillsMissing: ["a.b"]), "a.b"),
            (TestEvents.match(id: "m3", time: t(2), user: user1, job: "j2", skillsMissing: ["a.b"], isActive: false), "$x"),
            (TestEvents.match(id: "m0", time: t(0), user: user1, job: "j2", skillsMissing: ["zzz"]), "$x"),
            (TestEvents.match(id: "m4", time: t(3), user: user1, job: "j2", skillsMissing: ["Go", "Go"]), "$x"),
            (TestEvents.match(id: "m5", time: t(4), user: user1, job: "j1", skillsMissing: ["Go"]), "Go"),
            (TestEvents.match(id: "m6", time: t(5), user: user1, job: "j1", skillsMissing: []), "Go"),
        ]
        for (event, top) in steps {
            _ = try handler.handle(event)
            #expect(try bed.stats(of: user1)?.topMissingSkill == top, "after \(event.metadata.id)")
            try bed.expectNoDrift()
        }
        let document = try #require(try bed.database.collection("user_stats").findOne(filter: ["user_id": .objectID(ObjectID(user1))]))
        #expect(document.array("missing_skill_counts") == [.document(["skill": "Go", "count": .int64(1)])])
    }

    @Test func statsTheBackendCreatedAreComputedFromTheSourcesOnceAndKeepTheirOtherFields() throws {
        let bed = try StorageBed()
        defer { bed.tearDown() }
        try bed.bed.insertUsers([user1])
        _ = try bed.handler().handle(job("j1", "01", "e-j1"))
        let jobID = try #require(try bed.database.collection("jobs").findOne(filter: ["external_id": "j1"])?.objectID("_id"))
        // The backend wrote an interaction and a stats document of its own, without the counts.
        try bed.database.collection("user_job_interactions").insertOne([
            "user_id": .objectID(ObjectID(user1)), "job_id": .objectID(jobID), "interaction_type": "saved",
        ])
        try bed.database.collection("user_stats").insertOne(["user_id": .objectID(ObjectID(user1)), "jobs_saved": .int64(7), "theme": "dark"])
        _ = try bed.handler().handle(TestEvents.interaction(id: "i1", user: user1, job: "j1", type: .viewed))
        let document = try #require(try bed.database.collection("user_stats").findOne(filter: ["user_id": .objectID(ObjectID(user1))]))
        #expect(StatsDocument.stats(of: document) == UserStats(jobsViewed: 1, jobsSaved: 1, topMissingSkill: nil))
        #expect(document.string("theme") == "dark")
        #expect(try bed.database.collection("user_stats").countDocuments() == 1)
        try bed.expectNoDrift()
    }

    @Test func aKeyAnotherWriterChangesBetweenTheReadAndTheWriteIsPlannedAgain() throws {
        let bed = try StorageBed()
        defer { bed.tearDown() }
        try bed.bed.insertUsers([user1])
        let setup = bed.handler()
        _ = try setup.handle(batch: [job("j1", "01", "e-j1"), job("j2", "01", "e-j2")])
        _ = try setup.handle(TestEvents.match(id: "m1", time: t(1), user: user1, job: "j1", skillsMissing: ["Go"]))
        // Another worker commits, once, right after this worker's read: a newer match of the same
        // key, the same interaction by another event, a newer version of the same posting.
        let other = bed.handler()
        let interfering = InterferingStorage(base: MongoJobHuntStorage(database: bed.database)) {
            _ = try? other.handle(batch: [
                TestEvents.match(id: "m3", time: t(3), user: user1, job: "j1", skillsMissing: ["Rust"]),
                TestEvents.interaction(id: "i-other", user: user1, job: "j2", type: .saved),
                job("j2", "09", "e-j2-other"),
            ])
        }
        let handler = EventHandler(storage: interfering)
        let outcomes = try handler.handle(batch: [
            TestEvents.match(id: "m2", time: t(2), user: user1, job: "j1", skillsMissing: ["SQL"]),
            TestEvents.interaction(id: "i-mine", user: user1, job: "j2", type: .saved),
        ])
        #expect(interfering.interferences == 1)
        #expect(outcomes[0] == .unchanged(.staleVersion))
        guard case .rejected(.duplicateInteraction, _) = outcomes[1] else {
            Issue.record("expected duplicate_interaction, got \(outcomes[1])")
            return
        }
        #expect(try bed.stats(of: user1) == UserStats(jobsViewed: 0, jobsSaved: 1, topMissingSkill: "Rust"))
        try bed.expectNoDrift()

        let jobInterfering = InterferingStorage(base: MongoJobHuntStorage(database: bed.database)) {
            _ = try? other.handle(job("j1", "09", "e-j1-other"))
        }
        #expect(try EventHandler(storage: jobInterfering).handle(job("j1", "05", "e-j1-mine")) == .unchanged(.staleVersion))
        #expect(try bed.database.collection("jobs").findOne(filter: ["external_id": "j1"])?.string("last_event_id") == "e-j1-other")
    }

    @Test func twoWorkersRacingOnTheSameUsersAndKeysKeepTheReferenceStateAndExactStats() async throws {
        var spec = WorkloadSpec()
        (spec.users, spec.jobs, spec.events, spec.duplicateShare, spec.invalidShare, spec.seed) = (6, 12, 1_200, 0.05, 0, 11)
        let workload = Workload(spec)
        let bed = try StorageBed()
        defer { bed.tearDown() }
        try bed.bed.insertUsers(workload.userIDs)
        let events = workload.events
        // Two workers (each its own partitions, as two processes), the same events in different
        // batch sizes and orders: every key and user is written by both at once.
        let workers = [(bed.handler(), 40, false), (bed.handler(), 25, true)]
        let failures = Mutex<[String]>([])
        await onOwnThread {
            DispatchQueue.concurrentPerform(iterations: workers.count) { index in
                let (handler, size, reversed) = workers[index]
                do {
                    _ = try applyUntilSettled(reversed ? events.reversed() : events, with: handler, batchSize: size)
                } catch {
                    failures.withLock { $0.append("worker \(index): \(error)") }
                }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty)
        let expected = ExpectedState(of: workload)
        let actual = try ExpectedState(of: bed.database)
        #expect(actual == expected, "\(expected.differences(from: actual))")
        try bed.expectNoDrift()
    }
}

// MARK: - Fixtures

private let user1 = ObjectIDHex(hex: "0101010101010101010101a1")!
private let user2 = ObjectIDHex(hex: "0101010101010101010101a2")!

private func t(_ second: Int) -> String { "2026-01-01T00:00:0\(second)Z" }

private func job(_ externalID: String, _ day: String, _ id: String, title: String = "Engineer") -> Event {
    TestEvents.jobPosted(id: id, time: "2026-01-\(day)T00:00:00Z", externalID: externalID, title: title)
}

/// Handles `events` in batches, then those still waiting for a reference, until nothing changes
/// (as the worker's retries would). Returns the outcome each event had last.
@discardableResult
private func applyUntilSettled(_ events: some Collection<Event>, with handler: EventHandler, batchSize: Int = 50) throws -> [HandlingOutcome] {
    var pending = Array(events)
    var last: [String: HandlingOutcome] = [:]
    while !pending.isEmpty {
        var waiting: [Event] = []
        for start in stride(from: 0, to: pending.count, by: batchSize) {
            let batch = Array(pending[start..<min(start + batchSize, pending.count)])
            for (event, outcome) in zip(batch, try handler.handle(batch: batch)) {
                last[event.metadata.id] = outcome
                if case .retryLater = outcome { waiting.append(event) }
            }
        }
        if waiting.count == pending.count { break }
        pending = waiting
    }
    return events.map { last[$0.metadata.id]! }
}

/// A test database with the worker's indexes.
private struct StorageBed {
    let bed: TestBed

    init() throws {
        bed = try TestBed()
        try IndexCatalog.ensureIndexes(in: bed.database)
    }

    var database: MongoDatabase { bed.database }

    func handler(partitions: Int = 4) -> EventHandler {
        EventHandler(storage: MongoJobHuntStorage(database: database), partitions: UserPartitions(count: partitions))
    }

    func stats(of user: ObjectIDHex) throws -> UserStats? {
        try database.collection("user_stats").findOne(filter: ["user_id": .objectID(ObjectID(user))]).map(StatsDocument.stats(of:))
    }

    /// Expects every user's stats and kept counts to be what the sources give (`stats rebuild --check`).
    func expectNoDrift(sourceLocation: SourceLocation = #_sourceLocation) throws {
        try StatsRebuild(database: database).run(user: nil, check: true) { comparison in
            #expect(!comparison.hasDrift, "\(comparison)", sourceLocation: sourceLocation)
        }
    }

    func tearDown() { bed.tearDown() }
}

/// `base`, except that the first plan it makes runs `interfere` before planning: another writer
/// acting between this storage's read and its write.
private final class InterferingStorage: JobHuntStorage {
    let base: MongoJobHuntStorage
    let interfere: @Sendable () -> Void
    private let count = Mutex(0)

    init(base: MongoJobHuntStorage, interfere: @escaping @Sendable () -> Void) {
        self.base = base
        self.interfere = interfere
    }

    var interferences: Int { count.withLock { $0 } }

    private func once() {
        let first = count.withLock { count in
            count += 1
            return count == 1
        }
        if first { interfere() } else { count.withLock { $0 -= 1 } }
    }

    func writeJobs(_ externalIDs: Set<String>, plan: (JobSnapshot) -> JobPlan) throws -> (JobPlan, [JobWriteResult]) {
        try base.writeJobs(externalIDs) { snapshot in
            once()
            return plan(snapshot)
        }
    }

    func writeUserEffects(_ request: UserLaneRequest, plan: (UserLaneSnapshot) -> UserLanePlan) throws -> UserLanePlan {
        try base.writeUserEffects(request) { snapshot in
            once()
            return plan(snapshot)
        }
    }
}
