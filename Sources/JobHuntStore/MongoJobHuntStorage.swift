import JobHuntEvents
import JobHuntHandlers
import MongoClient

/// `JobHuntStorage` on MongoDB. Safe to share between threads: every call pops its own client
/// from the pool.
///
/// Job postings are written without a transaction: one find of the batch's postings, then one
/// unordered bulk of inserts (new postings) and replacements by `_id` whose filter also holds
/// the version as read, so another writer's change made since the read is never overwritten
/// (that write reports a conflict and is planned again). Matches and interactions commit with
/// their users' stats in one transaction (`UserLaneTransaction`).
public struct MongoJobHuntStorage: JobHuntStorage {
    let database: MongoDatabase

    /// Storage in `database`.
    public init(database: MongoDatabase) {
        self.database = database
    }

    public func writeJobs(_ externalIDs: Set<String>, plan: (JobSnapshot) -> JobPlan) throws -> (JobPlan, [JobWriteResult]) {
        try translatingMongoErrors {
            let stored = try storedJobs(externalIDs)
            let plan = plan(JobSnapshot(versions: stored.mapValues { StoredVersion.job.version(in: $0) }))
            return (plan, try write(plan.writes, over: stored))
        }
    }

    public func writeUserEffects(_ request: UserLaneRequest, plan: (UserLaneSnapshot) -> UserLanePlan) throws -> UserLanePlan {
        try UserLaneTransaction.run(request, in: database, plan: plan)
    }

    // MARK: - Jobs

    private var jobs: MongoCollection { database.collection(CollectionName.jobs) }

    /// The version fields of the stored postings among `externalIDs`, by external id.
    private func storedJobs(_ externalIDs: Set<String>) throws -> [String: BSONDocument] {
        var stored: [String: BSONDocument] = [:]
        try jobs.find(
            filter: ["external_id": ["$in": .array(externalIDs.map(BSONValue.string))]],
            options: .wholeBatch(projection: StoredVersion.job.projection.setting("external_id", to: 1))
        ) { job in
            if let externalID = job.string("external_id") { stored[externalID] = job }
        }
        return stored
    }

    /// Carries out `writes` in one unordered bulk and tells what became of each.
    private func write(_ writes: [JobWriteOperation], over stored: [String: BSONDocument]) throws -> [JobWriteResult] {
        let models = writes.map { write -> WriteModel in
            let document = JobDocument.make(write.job, version: write.version)
            guard let read = stored[write.job.externalID] else { return .insertOne(document.withNewObjectID()) }
            return .replaceOne(filter: StoredVersion.job.unchangedFilter(read), replacement: document)
        }
        let bulk: BulkWriteResult
        do {
            bulk = try jobs.bulkWrite(models, ordered: false)
        } catch let error as MongoError where !error.isInfrastructure && writes.count > 1 {
            // Refused as a whole: each write on its own, so only the bad one fails.
            return try writes.flatMap { try write([$0], over: stored) }
        }
        if let failure = bulk.writeErrors.first(where: \.isInfrastructure) { throw failure.mongoError }
        var results = [JobWriteResult](repeating: .written, count: writes.count)
        for failure in bulk.writeErrors {
            results[failure.index] = failure.isDuplicateKey
                ? .conflict
                : .refused(StorageRejection(.constraintViolation, "MongoDB refused the write: \(failure.mongoError)"))
        }
        let replacements = writes.indices.filter { writes[$0].isReplacement && results[$0] == .written }
        if bulk.matchedCount < replacements.count {
            // Some replacement found its posting changed; which ones, only a fresh read says.
            let now = try storedJobs(Set(replacements.map { writes[$0].job.externalID }))
            for index in replacements where now[writes[index].job.externalID].flatMap(StoredVersion.job.version(in:)) != writes[index].version {
                results[index] = .conflict
            }
        }
        return results
    }
}

extension ObjectID {
    /// The same 12 bytes as the event model's id.
    init(_ id: ObjectIDHex) {
        self = ObjectID(bytes: id.bytes)!
    }
}

extension ObjectIDHex {
    /// The same 12 bytes as the driver's id.
    init(_ id: ObjectID) {
        self = ObjectIDHex(bytes: id.bytes)!
    }
}

extension WriteError {
    /// This failure of one operation as the error a single operation would have thrown.
    var mongoError: MongoError {
        MongoError(kind: kind, domain: domain, code: code, message: message)
    }
}
