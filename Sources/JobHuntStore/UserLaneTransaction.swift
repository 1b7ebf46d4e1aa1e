import JobHuntEvents
import JobHuntHandlers
import MongoClient

/// One part of the user lane in one transaction: read the request's keys (`UserLaneRead`),
/// make the plan from them, write it, commit.
///
/// Inside a transaction any write error aborts everything, so the plan only makes writes that
/// succeed against what it read: inserts of keys that were absent, replacements by `_id` of
/// exactly the documents read. A transaction that changes the same documents as another one
/// at the same time is a write conflict, which MongoDB labels transient: the whole of it (read,
/// plan, write) runs again on a fresh snapshot. A key that another writer inserted in the
/// meantime (a duplicate key) or a replacement that no longer finds its document is a
/// `StorageConflict`: the handler plans again.
struct UserLaneTransaction {
    let database: MongoDatabase
    let session: MongoSession

    static func run(_ request: UserLaneRequest, in database: MongoDatabase, plan: (UserLaneSnapshot) -> UserLanePlan) throws -> UserLanePlan {
        do {
            return try database.pool.withSession { session in
                try session.withTransaction(timeLimit: MongoSession.storeTransactionTimeLimit) {
                    let transaction = UserLaneTransaction(database: database, session: session)
                    let read = try UserLaneRead(request, database: database, session: session)
                    let plan = plan(read.snapshot)
                    try transaction.write(plan, over: read)
                    return plan
                }
            }
        } catch let error as MongoError where error.isDuplicateKey {
            throw StorageConflict("another writer inserted one of the keys: \(error)")
        } catch let error as MongoError where error.kind == .writeConflict && !error.hasLabel("TransientTransactionError") {
            throw StorageConflict("another writer changed one of the documents: \(error)")
        } catch let error as MongoError {
            throw error.storageError
        }
    }

    private func write(_ plan: UserLanePlan, over read: UserLaneRead) throws {
        try writeMatches(plan.matches, over: read)
        try insert(plan.interactions.map { InteractionDocument.make($0.key, version: $0.version) }, into: CollectionName.userJobInteractions)
        try writeStats(plan.stats, over: read)
    }

    private func writeMatches(_ writes: [MatchWriteOperation], over read: UserLaneRead) throws {
        var replacements = 0
        let models = writes.map { write -> WriteModel in
            let document = MatchDocument.make(write.match, jobID: write.key.job, version: write.version)
            guard write.replacing != nil, let stored = read.matchDocuments[write.key] else {
                return .insertOne(document.withNewObjectID())
            }
            replacements += 1
            return .replaceOne(filter: StoredVersion.match.unchangedFilter(stored), replacement: document)
        }
        let result = try bulk(models, into: CollectionName.jobMatches)
        guard result.matchedCount == replacements else {
            throw StorageConflict("\(replacements - result.matchedCount) of \(replacements) matches changed since they were read")
        }
    }

    private func writeStats(_ stats: [ObjectIDHex: StatsCounts], over read: UserLaneRead) throws {
        let now = Timestamp.now().millisecondsSinceEpoch
        var updates = 0
        let models = stats.map { user, counts -> WriteModel in
            let fields = StatsDocument.fields(counts, calculatedAt: now)
            guard let id = read.statsDocumentIDs[user] else {
                let key: BSONDocument = ["_id": .objectID(ObjectID()), "user_id": .objectID(ObjectID(user))]
                return .insertOne(key.appending(fields))
            }
            updates += 1
            return .updateOne(filter: ["_id": id], update: .document(["$set": .document(fields)]))
        }
        let result = try bulk(models, into: CollectionName.userStats)
        guard result.matchedCount == updates else {
            throw StorageConflict("\(updates - result.matchedCount) of \(updates) stats documents disappeared since they were read")
        }
    }

    private func insert(_ documents: [BSONDocument], into collection: String) throws {
        _ = try bulk(documents.map(WriteModel.insertOne), into: collection)
    }

    /// Runs `models` unordered (one command per kind; inside a transaction the order changes
    /// nothing, since any failure aborts all of it). A refused operation fails the transaction:
    /// the bulk reports operations libmongoc refused before sending instead of throwing.
    private func bulk(_ models: [WriteModel], into collection: String) throws -> BulkWriteResult {
        let result = try database.collection(collection).bulkWrite(models, ordered: false, session: session)
        if let failure = result.writeErrors.first { throw failure.mongoError }
        return result
    }
}
