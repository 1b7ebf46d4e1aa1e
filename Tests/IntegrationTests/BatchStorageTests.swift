import Foundation
import JobHuntEvents
import JobHuntHandlers
@testable import JobHuntStore
import JobHuntWorkload
import MongoClient
import Synchronization
import Testing

/// The batch operations of `MongoJobHuntStorage` against the single ones: the same results,
/// the same documents (field order included) and the same `user_stats`, checked against the
/// MongoDB single-item path in a second database and against the in-memory reference.
@Suite(.enabled(if: serversAvailable), .timeLimit(.minutes(3)))
struct BatchStorageTests {
    // MARK: - Jobs

    @Test func aJobBatchGivesTheResultsAndDocumentsOfOneByOne() throws {
        let world = try TwoStores()
        defer { world.tearDown() }
        let history = [
            job("a", 10, "e-a1"), job("b", 10, "e-b1"), job("c", 10, "e-c5"), job("d", 20, "e-d1"), job("e", 10, "e-e5"),
        ]
        try world.applyHistory { try $0.upsertJobs(history) }
        // A posting written by someone else: no version recorded, so any event overwrites it.
        for database in world.databases {
            try database.collection("jobs").insertOne(["external_id": "f", "title": "from the backend", "company": "c"])
        }
        let batch = [
            job("a", 20, "e-a2", title: "Newer"),      // newer time: written
            job("b", 10, "e-b1"),                      // the same event again: sameVersion
            job("c", 10, "e-c1"),                      // same time, smaller id: newerVersionPresent
            job("d", 15, "e-d0"),                      // older time: newerVersionPresent
            job("e", 10, "e-e9", title: "Tie won"),    // same time, greater id: written
            job("f", 5, "e-f1"),                       // over an unversioned document: written
            job("g", 30, "e-g1"),                      // new: written
        ]
        let results = try world.batch.upsertJobs(batch)
        #expect(results == (try world.applyOneByOne { try $0.upsertJobs(batch) }))
        #expect(results.map(\.summary) == ["written", "sameVersion", "newerVersionPresent", "newerVersionPresent", "written", "written", "written"])
        try world.expectSameDocuments()
        for write in batch {
            let stored = try #require(try world.batchDatabase.collection("jobs").findOne(filter: ["external_id": .string(write.job.externalID)]))
            #expect(stored.string("last_event_id") == world.reference.job(externalID: write.job.externalID)?.version.eventID)
        }

        let again = try world.batch.upsertJobs(batch)
        #expect(again == (try world.applyOneByOne { try $0.upsertJobs(batch) }))
        #expect(again.map(\.summary) == ["sameVersion", "sameVersion", "newerVersionPresent", "newerVersionPresent", "sameVersion", "sameVersion", "sameVersion"])
        try world.expectSameDocuments()
    }

    @Test func aJobTheValidatorRefusesFailsAloneInItsBatch() throws {
        let world = try TwoStores()
        defer { world.tearDown() }
        _ = try world.batch.upsertJobs([job("kept", 10, "e-k1")])
        // The REST backend's own rule on jobs: MongoDB refuses a title over 40 characters.
        _ = try world.batchDatabase.runCommand(["collMod": "jobs", "validator": ["$jsonSchema": ["properties": ["title": ["maxLength": 40]]]]])
        let results = try world.batch.upsertJobs([
            job("ok-1", 10, "e-1"), job("long", 10, "e-2", title: String(repeating: "T", count: 41)), job("ok-2", 10, "e-3"),
            job("kept", 10, "e-k1"),
        ])
        #expect(results.map(\.summary) == ["written", "failure(constraintViolation)", "written", "sameVersion"])
        if case .failure(let rejection) = results[1] {
            #expect(rejection.description.hasPrefix("MongoDB refused the write: "))
            #expect(rejection.description.contains("121"), "document validation failure")
            #expect(rejection.description.contains("MongoJobHuntStorage+Batch.swift"), "reported by the bulk, not by upsertJob")
        }
        let stored = try world.batchDatabase.collection("jobs").find().compactMap { $0.string("external_id") }
        #expect(Set(stored) == ["kept", "ok-1", "ok-2"])
    }

    // MARK: - Matches and interactions

    @Test func userEffectsGiveTheResultsDocumentsAndStatsOfOneByOne() throws {
        let world = try TwoStores()
        defer { world.tearDown() }
        try world.applyHistory {
            try $0.writeUserEffects(
                matches: [
                    match(user1, job1, 10, "m-11a", missing: ["Docker"]), match(user1, job2, 10, "m-12b", missing: ["Go"]),
                    match(user2, job1, 20, "m-21"), match(user2, job2, 10, "m-22c"), match(user3, job1, 10, "m-31", missing: ["SQL"]),
                ],
                interactions: [interaction(user1, job1, .viewed, "i-1"), interaction(user2, job1, .saved, "i-2")])
        }
        // A match written by someone else (no `matched_at`): any event overwrites it.
        for database in world.databases {
            try database.collection("job_matches").insertOne(["user_id": .objectID(oid(user4)), "job_id": .objectID(oid(job1)), "relevancy_score": 0.5])
        }
        let untouchedStats = try world.statsDocument(of: user3)

        let matches = [
            match(user1, job1, 20, "m-11b", missing: ["Go", "Rust"]),   // newer: written
            match(user1, job2, 10, "m-12a"),                            // same time, smaller id: newerVersionPresent
            match(user2, job1, 10, "m-20"),                             // older: newerVersionPresent
            match(user2, job2, 10, "m-22d", active: false),             // same time, greater id: written
            match(user3, job1, 10, "m-31", missing: ["SQL"]),           // the same event: sameVersion
            match(user1, job3, 30, "m-13", missing: ["Go"]),            // new: written
            match(user4, job1, 5, "m-41", active: false, details: false), // over an unversioned document: written
        ]
        let interactions = [
            interaction(user1, job1, .viewed, "i-1"),   // the same event: sameEvent
            interaction(user2, job1, .saved, "i-9"),    // another event: recordedByAnotherEvent(i-2)
            interaction(user1, job2, .saved, "i-3"),    // new: recorded
            interaction(user1, job3, .viewed, "i-4"),
            interaction(user2, job3, .applied, "i-5"),
            interaction(user2, job4, .viewed, "i-6"),
        ]
        // The one transaction itself: a fallback to one write at a time would throw here.
        let results = try UserEffectsTransaction.run(in: world.batchDatabase, matches: matches, interactions: interactions)
        #expect(results == (try world.applyOneByOne { try $0.writeUserEffects(matches: matches, interactions: interactions) }))
        #expect(results.matches.map(\.summary) == ["written", "newerVersionPresent", "newerVersionPresent", "written", "sameVersion", "written", "written"])
        #expect(results.interactions.map(\.summary) == ["sameEvent", "recordedByAnotherEvent(eventID: Optional(\"i-2\"))", "recorded", "recorded", "recorded", "recorded"])
        try world.expectSameDocuments()
        try world.expectReferenceStats(for: [user1, user2, user3, user4])
        #expect(try world.statsDocument(of: user4)?["top_missing_skill"] == .null, "a user with nothing to count has zeros and no skill")
        #expect(try world.statsDocument(of: user3) == untouchedStats, "a user whose writes changed nothing is not refreshed")

        let statsBefore = try world.batchDatabase.collection("user_stats").find()
        let again = try world.batch.writeUserEffects(matches: matches, interactions: interactions)
        #expect(again == (try world.applyOneByOne { try $0.writeUserEffects(matches: matches, interactions: interactions) }))
        #expect(again.matches.map(\.summary) == ["sameVersion", "newerVersionPresent", "newerVersionPresent", "sameVersion", "sameVersion", "sameVersion", "sameVersion"])
        #expect(again.interactions.map(\.summary) == ["sameEvent", "recordedByAnotherEvent(eventID: Optional(\"i-2\"))", "sameEvent", "sameEvent", "sameEvent", "sameEvent"])
        #expect(try world.batchDatabase.collection("user_stats").find() == statsBefore, "nothing changed, nothing refreshed")
        try world.expectSameDocuments()
    }

    @Test func aMatchTheValidatorRefusesFailsAloneAndTheRestIsWritten() throws {
        let world = try TwoStores()
        defer { world.tearDown() }
        for database in world.databases {
            _ = try database.runCommand(["collMod": "job_matches", "validator": ["$jsonSchema": ["properties": ["match_reason": ["maxLength": 20]]]]])
        }
        let matches = [
            match(user1, job1, 10, "m-1", missing: ["Go"]),
            match(user1, job2, 10, "m-2", missing: ["Rust"], reason: String(repeating: "r", count: 21)),
            match(user2, job1, 10, "m-3", missing: ["SQL"]),
        ]
        let interactions = [interaction(user1, job1, .viewed, "i-1"), interaction(user2, job1, .saved, "i-2")]
        let results = try world.batch.writeUserEffects(matches: matches, interactions: interactions)
        let oneByOne = try SingleItemStorage(base: world.single).writeUserEffects(matches: matches, interactions: interactions)
        // The reference knows no validator: it gets the writes MongoDB accepts.
        _ = try world.reference.writeUserEffects(matches: [matches[0], matches[2]], interactions: interactions)
        #expect(results.matches.map(\.summary) == ["written", "failure(constraintViolation)", "written"])
        #expect(results.matches.map(\.summary) == oneByOne.matches.map(\.summary))
        #expect(results.interactions == [.success(.recorded), .success(.recorded)])
        #expect(results.interactions == oneByOne.interactions)
        try world.expectSameDocuments()
        try world.expectReferenceStats(for: [user1, user2])
        #expect(try world.statsDocument(of: user1)?["top_missing_skill"] == .string("Go"))
    }

    @Test func aWorkloadInBatchesLeavesTheReferenceStateAndTheDocumentsOfOneByOne() throws {
        var spec = WorkloadSpec()
        spec.users = 12
        spec.jobs = 40
        spec.events = 500
        spec.duplicateShare = 0.05
        spec.invalidShare = 0
        spec.seed = 7
        let workload = Workload(spec)
        let world = try TwoStores()
        defer { world.tearDown() }
        for database in world.databases { try insertUsers(workload.userIDs, into: database) }

        try applyInBatches(workload.events, to: OneTransactionStorage(base: world.batch))
        try applyInBatches(workload.events, to: SingleItemStorage(base: world.single))

        let expected = ExpectedState(of: workload)
        let actual = try ExpectedState(of: world.batchDatabase)
        #expect(actual == expected, "\(expected.differences(from: actual))")
        try world.expectSameDocuments()
    }

    @Test func concurrentBatchesAndSingleWritesKeepStatsExact() async throws {
        let world = try TwoStores()
        defer { world.tearDown() }
        let users = [user1, user2, user3]
        let jobs = (0..<24).map { id(0x10, UInt8($0)) }
        // Eight writers, each with its own keys: four in batches, four one write at a time (as
        // another process would, not serialized with the batches). Only the batches touch user4.
        let writers = (0..<8).map { writer in
            writes(of: writer, users: writer < 4 ? users + [user4] : users, jobs: Array(jobs[(writer * 3)..<(writer * 3 + 3)]))
        }
        let failures = Failures()
        // Off Swift's cooperative pool: eight blocking writers must not starve the other tests.
        try await onOwnThread { DispatchQueue.concurrentPerform(iterations: writers.count) { writer in
            let storage: any JobHuntStorage = writer < 4 ? world.batch : SingleItemStorage(base: world.batch)
            let writes = writers[writer]
            do {
                for start in stride(from: 0, to: writes.matches.count, by: 3) {
                    let results = try storage.writeUserEffects(
                        matches: Array(writes.matches[start..<(start + 3)]), interactions: Array(writes.interactions[start..<(start + 3)]))
                    if results.matches != Array(repeating: .success(.written), count: 3)
                        || results.interactions != Array(repeating: .success(.recorded), count: 3) {
                        failures.add("writer \(writer): \(results)")
                    }
                }
            } catch {
                failures.add("writer \(writer): \(error)")
            }
        } }
        #expect(failures.all.isEmpty, "\(failures.all)")
        for writes in writers {
            _ = try world.reference.writeUserEffects(matches: writes.matches, interactions: writes.interactions)
        }
        for user in users + [user4] {
            let stored = try #require(try world.statsDocument(of: user))
            #expect(StatsComparable(stored) == StatsComparable(world.reference.stats(for: user)))
        }
    }

    // MARK: - Reads

    @Test func existingUsersAndJobIDsFindExactlyWhatExists() throws {
        let world = try TwoStores()
        defer { world.tearDown() }
        try insertUsers([user1, user2], into: world.batchDatabase)
        #expect(try world.batch.existingUsers(among: [user1, user2, user3]) == [user1, user2])
        #expect(try world.batch.existingUsers(among: [user4]) == [])
        #expect(try world.batch.existingUsers(among: []) == [])

        _ = try world.batch.upsertJobs([job("x", 10, "e-x"), job("y", 10, "e-y")])
        let jobs = world.batchDatabase.collection("jobs")
        let x = try #require(try jobs.findOne(filter: ["external_id": "x"])?.objectID("_id").map(hexID))
        let y = try #require(try jobs.findOne(filter: ["external_id": "y"])?.objectID("_id").map(hexID))
        let found = try world.batch.jobIDs(for: [.externalID("x"), .externalID("missing"), .id(y), .id(job4)])
        #expect(found == [.externalID("x"): x, .id(y): y])
        #expect(try world.batch.jobIDs(for: [.externalID("y"), .id(x)]) == [.externalID("y"): y, .id(x): x])
        #expect(try world.batch.jobIDs(for: []) == [:])
    }
}

// MARK: - Fixtures

private let user1 = id(0x01, 1), user2 = id(0x01, 2), user3 = id(0x01, 3), user4 = id(0x01, 4)
private let job1 = id(0x02, 1), job2 = id(0x02, 2), job3 = id(0x02, 3), job4 = id(0x02, 4)

private func oid(_ id: ObjectIDHex) -> ObjectID { ObjectID(bytes: id.bytes)! }

private func hexID(_ id: ObjectID) -> ObjectIDHex { ObjectIDHex(bytes: id.bytes)! }

/// The writes of one writer of the concurrency test: a match and an interaction per user and job.
private func writes(of writer: Int, users: [ObjectIDHex], jobs: [ObjectIDHex]) -> (matches: [MatchWrite], interactions: [InteractionWrite]) {
    var matches: [MatchWrite] = [], interactions: [InteractionWrite] = []
    let skill = ["Go", "Rust", "SQL"][writer % 3]
    let type: InteractionType = writer % 2 == 0 ? .viewed : .saved
    for user in users {
        for job in jobs {
            matches.append(match(user, job, 10, "m-\(writer)-\(job.hex)", missing: [skill], active: writer % 4 != 1))
            interactions.append(interaction(user, job, type, "i-\(writer)-\(job.hex)"))
        }
    }
    return (matches, interactions)
}

private func id(_ tag: UInt8, _ number: UInt8) -> ObjectIDHex {
    ObjectIDHex(bytes: [0x66, 0, 0, 0, tag, 0, 0, 0, 0, 0, 0, number])!
}

private func version(_ seconds: Int64, _ eventID: String) -> EventVersion {
    EventVersion(time: Timestamp(millisecondsSinceEpoch: 1_795_000_000_000 + seconds * 1000), eventID: eventID)
}

private func job(_ externalID: String, _ seconds: Int64, _ eventID: String, title: String = "Engineer") -> JobWrite {
    JobWrite(
        job: JobPosting(
            externalID: externalID, title: title, company: "Company", location: "Remote", remoteType: .remote,
            skillsRequired: ["Go"], salaryRange: SalaryRange(min: .integer(100), max: .double(150.5), currency: "USD")),
        version: version(seconds, eventID))
}

private func match(
    _ user: ObjectIDHex, _ job: ObjectIDHex, _ seconds: Int64, _ eventID: String, missing: [String] = [],
    active: Bool = true, details: Bool = true, reason: String = "fit"
) -> MatchWrite {
    MatchWrite(
        match: MatchComputed(
            userID: user, job: .id(job), relevancyScore: 0.75, matchReason: reason,
            matchDetails: details ? MatchDetails(skillsMatched: ["Python"], skillsMissing: missing, overallCompatibility: 0.5) : nil,
            isActive: active),
        jobID: job, version: version(seconds, eventID))
}

private func interaction(_ user: ObjectIDHex, _ job: ObjectIDHex, _ type: InteractionType, _ eventID: String) -> InteractionWrite {
    InteractionWrite(interaction: InteractionRecorded(userID: user, job: .id(job), interactionType: type), jobID: job, version: version(60, eventID))
}

private func insertUsers(_ ids: [ObjectIDHex], into database: MongoDatabase) throws {
    try database.collection("users").insertMany(ids.map { ["_id": .objectID(ObjectID(bytes: $0.bytes)!), "email": .string("\($0.hex)@example.com")] })
}

/// Applies valid events through the batch operations, as a batching handler would: jobs first,
/// then matches and interactions with their references resolved, no key twice in one call.
private func applyInBatches(_ events: [Event], to storage: some JobHuntStorage, size: Int = 40) throws {
    var jobs: [[JobWrite]] = [[]]
    var effects: [[Event]] = [[]]
    var jobKeys = Set<String>(), effectKeys = Set<String>()
    for event in events {
        switch event.payload {
        case .jobPosted(let posting):
            if jobs[jobs.count - 1].count == size || !jobKeys.insert(posting.externalID).inserted {
                jobs.append([])
                jobKeys = [posting.externalID]
            }
            jobs[jobs.count - 1].append(JobWrite(job: posting, version: EventVersion(of: event.metadata)))
        case .matchComputed(let match):
            let key = "m \(match.userID) \(match.job)"
            if effects[effects.count - 1].count == size || !effectKeys.insert(key).inserted { effects.append([]); effectKeys = [key] }
            effects[effects.count - 1].append(event)
        case .interactionRecorded(let interaction):
            let key = "i \(interaction.userID) \(interaction.job) \(interaction.interactionType)"
            if effects[effects.count - 1].count == size || !effectKeys.insert(key).inserted { effects.append([]); effectKeys = [key] }
            effects[effects.count - 1].append(event)
        }
    }
    for batch in jobs {
        let results = try storage.upsertJobs(batch)
        #expect(!results.contains { if case .failure = $0 { true } else { false } })
    }
    for batch in effects {
        var references = Set<JobReference>(), users = Set<ObjectIDHex>()
        for event in batch {
            switch event.payload {
            case .matchComputed(let match): references.insert(match.job); users.insert(match.userID)
            case .interactionRecorded(let interaction): references.insert(interaction.job); users.insert(interaction.userID)
            case .jobPosted: break
            }
        }
        let jobIDs = try storage.jobIDs(for: references)
        #expect(jobIDs.count == references.count, "every job of the workload is posted")
        #expect(try storage.existingUsers(among: users) == users)
        var matches: [MatchWrite] = [], interactions: [InteractionWrite] = []
        for event in batch {
            switch event.payload {
            case .matchComputed(let match):
                matches.append(MatchWrite(match: match, jobID: jobIDs[match.job]!, version: EventVersion(of: event.metadata)))
            case .interactionRecorded(let interaction):
                interactions.append(InteractionWrite(interaction: interaction, jobID: jobIDs[interaction.job]!, version: EventVersion(of: event.metadata)))
            case .jobPosted: break
            }
        }
        let results = try storage.writeUserEffects(matches: matches, interactions: interactions)
        #expect(!results.matches.contains { if case .failure = $0 { true } else { false } })
    }
}

// MARK: - Two stores and a reference

/// The batch storage in one database, the single-item storage in another and the in-memory
/// reference, for applying the same writes to all three.
private final class TwoStores: Sendable {
    let batchBed: TestBed
    let singleBed: TestBed
    let reference = InMemoryJobHuntStorage()

    init() throws {
        batchBed = try TestBed()
        singleBed = try TestBed()
        for database in [batchBed.database, singleBed.database] { try IndexCatalog.ensureIndexes(in: database) }
    }

    var batchDatabase: MongoDatabase { batchBed.database }
    var databases: [MongoDatabase] { [batchBed.database, singleBed.database] }
    var batch: MongoJobHuntStorage { MongoJobHuntStorage(database: batchBed.database) }
    var single: MongoJobHuntStorage { MongoJobHuntStorage(database: singleBed.database) }

    /// `body` on the single-item MongoDB path (the protocol's default batch operations) and on
    /// the reference; expects both to answer the same, and returns the MongoDB answer.
    func applyOneByOne<R: Equatable>(_ body: (any JobHuntStorage) throws -> R) throws -> R {
        let mongo = try body(SingleItemStorage(base: single))
        let memory = try body(reference)
        #expect(mongo == memory, "single-item MongoDB path and in-memory reference disagree")
        return mongo
    }

    /// `body` on all three stores, the MongoDB ones through their single operations: the
    /// state a test starts from.
    func applyHistory<R>(_ body: (any JobHuntStorage) throws -> R) throws {
        _ = try body(SingleItemStorage(base: batch))
        _ = try applyOneByOne { _ = try body($0); return true }
    }

    /// Expects both databases to hold the same documents, field order included (`_id`s,
    /// `last_calculated` left out; a `job_id` stands for its job's `external_id`).
    func expectSameDocuments(sourceLocation: SourceLocation = #_sourceLocation) throws {
        for collection in ["jobs", "job_matches", "user_job_interactions", "user_stats"] {
            let batchDocuments = try Self.comparable(collection, in: batchBed.database)
            let singleDocuments = try Self.comparable(collection, in: singleBed.database)
            #expect(batchDocuments == singleDocuments, "\(collection) differ", sourceLocation: sourceLocation)
        }
        for stats in try batchBed.database.collection("user_stats").find() {
            #expect(stats["last_calculated"]?.dateValue != nil, sourceLocation: sourceLocation)
        }
    }

    /// Expects `user_stats` of both databases to hold the reference's stats of `users`.
    func expectReferenceStats(for users: [ObjectIDHex], sourceLocation: SourceLocation = #_sourceLocation) throws {
        for user in users {
            let expected = StatsComparable(reference.stats(for: user))
            for database in databases {
                let stored = try database.collection("user_stats").findOne(filter: ["user_id": .objectID(oid(user))])
                #expect(stored.map(StatsComparable.init) == expected, "stats of \(user)", sourceLocation: sourceLocation)
            }
        }
    }

    /// The `user_stats` document of `user` in the batch database.
    func statsDocument(of user: ObjectIDHex) throws -> BSONDocument? {
        try batchBed.database.collection("user_stats").findOne(filter: ["user_id": .objectID(oid(user))])
    }

    private static func comparable(_ collection: String, in database: MongoDatabase) throws -> [String] {
        var externalIDs: [ObjectID: String] = [:]
        for job in try database.collection("jobs").find() {
            if let id = job.objectID("_id"), let externalID = job.string("external_id") { externalIDs[id] = externalID }
        }
        return try database.collection(collection).find().map { document in
            var document = document
            document.removeValue(forKey: "_id")
            document.removeValue(forKey: "last_calculated")
            if let job = document.objectID("job_id"), let externalID = externalIDs[job] { document["job_id"] = .string(externalID) }
            return document.debugDescription
        }.sorted()
    }

    func tearDown() {
        batchBed.tearDown()
        singleBed.tearDown()
    }
}

/// A storage whose single operations are `base`'s.
private protocol ForwardingSingleOperations: JobHuntStorage {
    var base: MongoJobHuntStorage { get }
}

extension ForwardingSingleOperations {
    func upsertJob(_ job: JobPosting, version: EventVersion) throws -> VersionedWriteResult {
        try base.upsertJob(job, version: version)
    }

    func userExists(_ userID: ObjectIDHex) throws -> Bool { try base.userExists(userID) }

    func jobID(for reference: JobReference) throws -> ObjectIDHex? { try base.jobID(for: reference) }

    func upsertMatch(_ match: MatchComputed, jobID: ObjectIDHex, version: EventVersion) throws -> VersionedWriteResult {
        try base.upsertMatch(match, jobID: jobID, version: version)
    }

    func recordInteraction(_ interaction: InteractionRecorded, jobID: ObjectIDHex, version: EventVersion) throws -> InteractionWriteResult {
        try base.recordInteraction(interaction, jobID: jobID, version: version)
    }
}

/// `MongoJobHuntStorage` with only its single operations: its batch operations are the
/// protocol's defaults, which call the single ones one by one.
private struct SingleItemStorage: ForwardingSingleOperations {
    let base: MongoJobHuntStorage
}

/// `MongoJobHuntStorage` whose `writeUserEffects` is its one transaction, without the fallback
/// to one write at a time: whatever would make it fall back throws instead.
private struct OneTransactionStorage: ForwardingSingleOperations {
    let base: MongoJobHuntStorage

    func upsertJobs(_ writes: [JobWrite]) throws -> [BatchItemResult<VersionedWriteResult>] { try base.upsertJobs(writes) }

    func existingUsers(among ids: Set<ObjectIDHex>) throws -> Set<ObjectIDHex> { try base.existingUsers(among: ids) }

    func jobIDs(for references: Set<JobReference>) throws -> [JobReference: ObjectIDHex] { try base.jobIDs(for: references) }

    func writeUserEffects(matches: [MatchWrite], interactions: [InteractionWrite]) throws -> UserEffectResults {
        try UserEffectsTransaction.run(in: base.database, matches: matches, interactions: interactions)
    }
}

/// The three values of some stats, from a `user_stats` document or from the reference.
private struct StatsComparable: Equatable {
    let viewed: Int, saved: Int, topMissingSkill: String?

    init(_ stats: UserStats) {
        (viewed, saved, topMissingSkill) = (stats.jobsViewed, stats.jobsSaved, stats.topMissingSkill)
    }

    init(_ document: BSONDocument) {
        (viewed, saved, topMissingSkill) = (document.int("jobs_viewed") ?? -1, document.int("jobs_saved") ?? -1, document.string("top_missing_skill"))
    }
}

/// Failures collected from several threads.
private final class Failures: Sendable {
    private let list = Mutex<[String]>([])
    func add(_ failure: String) { list.withLock { $0.append(failure) } }
    var all: [String] { list.withLock { $0 } }
}

extension Result where Failure == StorageRejection {
    /// The outcome, with a rejection reduced to its reason (descriptions name source lines).
    fileprivate var summary: String {
        switch self {
        case .success(let value): "\(value)"
        case .failure(let rejection): "failure(\(rejection.reason))"
        }
    }
}
