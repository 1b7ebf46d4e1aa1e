import JobHuntEvents
import JobHuntHandlers
import MongoClient
import Synchronization

/// The transaction of `MongoJobHuntStorage.writeUserEffects`: the matches and interactions of
/// a batch, then the part of each user's stats they changed (the top missing skill recomputed
/// after a match written, the counts raised by the `viewed` and `saved` interactions recorded),
/// committed together.
///
/// Inside a transaction any write error aborts everything, so no write may fail: the stored
/// matches of the batch's users are read first and only the writes that the single operation
/// would make are sent; interactions are upserts that only insert, so a stored key is a no-op
/// (one find then tells which event stored it). A concurrent write by another process is a
/// write conflict, which retries the whole transaction.
struct UserEffectsTransaction {
    let database: MongoDatabase
    let session: MongoSession

    /// Serializes the batch transactions of this process: the worker's consumers touch the same
    /// `user_stats` documents, and concurrent transactions on them would keep aborting each
    /// other. Other processes' conflicts surface as `TransientTransactionError` and are retried.
    private static let lock = Mutex(())

    /// Runs the batch in one transaction (retried as a whole on transient errors).
    static func run(in database: MongoDatabase, matches: [MatchWrite], interactions: [InteractionWrite]) throws -> UserEffectResults {
        try lock.withLock { _ in
            try database.pool.withSession { session in
                try session.withTransaction(timeLimit: MongoSession.storeTransactionTimeLimit) {
                    try UserEffectsTransaction(database: database, session: session).write(matches: matches, interactions: interactions)
                }
            }
        }
    }

    private func write(matches: [MatchWrite], interactions: [InteractionWrite]) throws -> UserEffectResults {
        let matchResults = try write(matches)
        let interactionResults = try record(interactions)
        var skillsChanged = Set<ObjectID>()
        for (write, result) in zip(matches, matchResults) where result == .written { skillsChanged.insert(ObjectID(write.match.userID)) }
        var counted: [ObjectID: StatsCalculator.CountChange] = [:]
        for (write, result) in zip(interactions, interactionResults) where result == .recorded {
            switch write.interaction.interactionType {
            case .viewed: counted[ObjectID(write.interaction.userID), default: .init()].viewed += 1
            case .saved: counted[ObjectID(write.interaction.userID), default: .init()].saved += 1
            default: break
            }
        }
        try StatsCalculator(database: database).refresh(counted: counted, skills: skillsChanged, session: session)
        return UserEffectResults(matches: matchResults.map { .success($0) }, interactions: interactionResults.map { .success($0) })
    }

    // MARK: - Matches

    private struct MatchKey: Hashable { let user: ObjectID, job: ObjectID }

    /// The conditional upserts of `upsertMatch` that would write, in one bulk.
    private func write(_ writes: [MatchWrite]) throws -> [VersionedWriteResult] {
        guard !writes.isEmpty else { return [] }
        let stored = try storedMatchVersions(writes)
        var models: [WriteModel] = []
        let results = writes.map { write -> VersionedWriteResult in
            let key = MatchKey(user: ObjectID(write.match.userID), job: ObjectID(write.jobID))
            let current = stored[key]
            if VersionFilter.mayMatch(current, olderThan: write.version, timeField: MatchDocument.versionTimeField, idField: MatchDocument.versionIDField) {
                let replacement = MatchDocument.make(write.match, jobID: write.jobID, version: write.version)
                if current == nil {
                    // Nothing stored (in this transaction's snapshot): the upsert's insert, with
                    // a new `_id` first, without its query (a concurrent insert fails the
                    // transaction on the unique index instead).
                    models.append(.insertOne(replacement.withNewObjectID()))
                } else if let id = current?["_id"], !Self.holdsArrays(current, MatchDocument.versionTimeField, MatchDocument.versionIDField) {
                    // Stored and older: replaced by `_id`, the server's fastest path. A
                    // concurrent change of it is a write conflict, which retries the transaction.
                    models.append(.replaceOne(filter: ["_id": id], replacement: replacement))
                } else {
                    let keyFilter: BSONDocument = ["user_id": .objectID(key.user), "job_id": .objectID(key.job)]
                    models.append(.replaceOne(
                        filter: VersionFilter.olderThan(write.version, key: keyFilter, timeField: MatchDocument.versionTimeField, idField: MatchDocument.versionIDField),
                        replacement: replacement, upsert: true))
                }
                return .written
            }
            return VersionFilter.records(write.version, in: current, timeField: MatchDocument.versionTimeField, idField: MatchDocument.versionIDField)
                ? .sameVersion : .newerVersionPresent
        }
        try writeAll(models, to: CollectionName.jobMatches)
        return results
    }

    /// The version fields of the stored matches of `writes`, by key: one find over all their users'
    /// matches (a `$in` on users and one on jobs would make the planner build their cross product).
    private func storedMatchVersions(_ writes: [MatchWrite]) throws -> [MatchKey: BSONDocument] {
        let users = Set(writes.map(\.match.userID))
        let wanted = Set(writes.map { MatchKey(user: ObjectID($0.match.userID), job: ObjectID($0.jobID)) })
        var stored: [MatchKey: BSONDocument] = [:]
        try database.collection(CollectionName.jobMatches).find(
            filter: ["user_id": Self.anyOf(users)],
            options: FindOptions(projection: [
                "_id": 1, "user_id": 1, "job_id": 1, MatchDocument.versionTimeField: 1, MatchDocument.versionIDField: 1,
            ]),
            session: session
        ) { match in
            guard let user = match.objectID("user_id"), let job = match.objectID("job_id") else { return }
            let key = MatchKey(user: user, job: job)
            if wanted.contains(key), stored[key] == nil { stored[key] = match }
        }
        return stored
    }

    // MARK: - Interactions

    private struct InteractionKey: Hashable { let user: ObjectID, job: ObjectID, type: String }

    /// The upserts of `recordInteraction`, in one bulk: those that inserted are recorded; for
    /// the others (the key was stored), one find says which event recorded them.
    private func record(_ writes: [InteractionWrite]) throws -> [InteractionWriteResult] {
        guard !writes.isEmpty else { return [] }
        let upserts = try database.collection(CollectionName.userJobInteractions).bulkWrite(
            writes.map { InteractionDocument.upsert($0.interaction, jobID: $0.jobID, version: $0.version) }, session: session)
        if let failure = upserts.writeErrors.first { throw failure.mongoError }
        let stored = writes.indices.filter { upserts.upsertedIDs[$0] == nil }
        let events = try storedInteractionEvents(stored.map { writes[$0] })
        var results = [InteractionWriteResult](repeating: .recorded, count: writes.count)
        for index in stored {
            let write = writes[index]
            let key = InteractionKey(user: ObjectID(write.interaction.userID), job: ObjectID(write.jobID), type: write.interaction.interactionType.rawValue)
            let eventID = events[key]
            results[index] = eventID == write.version.eventID ? .sameEvent : .recordedByAnotherEvent(eventID: eventID)
        }
        return results
    }

    /// The `event_id` of the stored interactions with the keys of `writes` (one find, by key).
    private func storedInteractionEvents(_ writes: [InteractionWrite]) throws -> [InteractionKey: String] {
        guard !writes.isEmpty else { return [:] }
        var events: [InteractionKey: String] = [:]
        try database.collection(CollectionName.userJobInteractions).find(
            filter: ["$or": .array(writes.map { .document(InteractionDocument.key($0.interaction, jobID: $0.jobID)) })],
            options: FindOptions(projection: ["_id": 0, "user_id": 1, "job_id": 1, "interaction_type": 1, InteractionDocument.eventIDField: 1]),
            session: session
        ) { interaction in
            guard let user = interaction.objectID("user_id"), let job = interaction.objectID("job_id"),
                  let type = interaction.string("interaction_type"), let eventID = interaction.string(InteractionDocument.eventIDField)
            else { return }
            events[InteractionKey(user: user, job: job, type: type)] = eventID
        }
        return events
    }

    // MARK: - Helpers

    /// Runs `models` in the transaction; any failed operation fails the transaction (the bulk
    /// reports operations libmongoc refused before sending instead of throwing). Unordered, so
    /// that inserts and replacements go as one command each: inside a transaction the order
    /// changes nothing, since any failure aborts all of it.
    private func writeAll(_ models: [WriteModel], to collection: String) throws {
        let result = try database.collection(collection).bulkWrite(models, ordered: false, session: session)
        if let failure = result.writeErrors.first { throw failure.mongoError }
    }

    /// Whether either version field of `document` is an array (MongoDB then matches element by
    /// element, and only the server's filter can say whether a version is older).
    private static func holdsArrays(_ document: BSONDocument?, _ timeField: String, _ idField: String) -> Bool {
        for field in [timeField, idField] {
            if case .array? = document?[field] { return true }
        }
        return false
    }

    private static func anyOf(_ ids: Set<ObjectIDHex>) -> BSONValue {
        ["$in": .array(ids.map { .objectID(ObjectID($0)) })]
    }
}
