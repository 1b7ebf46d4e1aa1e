import JobHuntEvents
import JobHuntHandlers
import MongoClient

/// The batch operations in as few round trips as MongoDB allows, with exactly the effects and
/// results of the single ones. Whenever a batch cannot tell an outcome on its own (a unique
/// index collision, an aborted transaction), it asks the single operation for that outcome.
extension MongoJobHuntStorage {
    /// One find of which postings are stored, then one unordered bulk: inserts for the new
    /// ones (what the upsert would insert, without its query), the conditional upserts of
    /// `upsertJob` for the others. A write that collides on `external_id` (a newer or the same
    /// version is stored, or another worker inserted it meanwhile) is settled by `upsertJob`
    /// itself; any other refused write is that write's rejection.
    public func upsertJobs(_ writes: [JobWrite]) throws -> [BatchItemResult<VersionedWriteResult>] {
        guard !writes.isEmpty else { return [] }
        let stored = try storedExternalIDs(writes.map(\.job.externalID))
        let models = writes.map { write in
            let document = JobDocument.make(write.job, version: write.version)
            guard stored.contains(write.job.externalID) else { return WriteModel.insertOne(document.withNewObjectID()) }
            return WriteModel.replaceOne(
                filter: VersionFilter.olderThan(
                    write.version, key: ["external_id": .string(write.job.externalID)],
                    timeField: JobDocument.versionTimeField, idField: JobDocument.versionIDField),
                replacement: document, upsert: true)
        }
        let bulk: BulkWriteResult
        do {
            bulk = try database.collection(CollectionName.jobs).bulkWrite(models, ordered: false)
        } catch let error as MongoError where !error.isInfrastructure {
            return try upsertJobsOneByOne(writes)
        } catch let error as MongoError {
            throw error.storageError
        }
        if let failure = bulk.writeErrors.first(where: \.isInfrastructure) {
            throw failure.mongoError.storageError
        }
        var results = [BatchItemResult<VersionedWriteResult>](repeating: .success(.written), count: writes.count)
        for failure in bulk.writeErrors {
            let write = writes[failure.index]
            if failure.isDuplicateKey {
                results[failure.index] = try Self.catchingRejection { try upsertJob(write.job, version: write.version) }
            } else {
                results[failure.index] = .failure(StorageRejection(.constraintViolation, "MongoDB refused the write: \(failure.mongoError)"))
            }
        }
        return results
    }

    /// Which of `externalIDs` name a stored job (one find).
    private func storedExternalIDs(_ externalIDs: [String]) throws -> Set<String> {
        try translatingMongoErrors {
            var found = Set<String>()
            try database.collection(CollectionName.jobs).find(
                filter: ["external_id": ["$in": .array(externalIDs.map(BSONValue.string))]],
                options: FindOptions(projection: ["_id": 0, "external_id": 1])
            ) { job in
                if let externalID = job.string("external_id") { found.insert(externalID) }
            }
            return found
        }
    }

    /// One find over `users`.
    public func existingUsers(among ids: Set<ObjectIDHex>) throws -> Set<ObjectIDHex> {
        guard !ids.isEmpty else { return [] }
        return try translatingMongoErrors {
            var found = Set<ObjectIDHex>()
            try database.collection(CollectionName.users).find(
                filter: ["_id": ["$in": .array(ids.map { .objectID(ObjectID($0)) })]],
                options: FindOptions(projection: ["_id": 1])
            ) { user in
                if let id = user.objectID("_id") { found.insert(ObjectIDHex(id)) }
            }
            return found
        }
    }

    /// At most two finds over `jobs`: one by `_id`, one by `external_id`.
    public func jobIDs(for references: Set<JobReference>) throws -> [JobReference: ObjectIDHex] {
        var ids: [BSONValue] = []
        var externalIDs: [BSONValue] = []
        for reference in references {
            switch reference {
            case .id(let id): ids.append(.objectID(ObjectID(id)))
            case .externalID(let externalID): externalIDs.append(.string(externalID))
            }
        }
        return try translatingMongoErrors {
            let jobs = database.collection(CollectionName.jobs)
            let projection: BSONDocument = ["_id": 1, "external_id": 1]
            var found: [JobReference: ObjectIDHex] = [:]
            if !ids.isEmpty {
                try jobs.find(filter: ["_id": ["$in": .array(ids)]], options: FindOptions(projection: projection)) { job in
                    if let id = job.objectID("_id") { found[.id(ObjectIDHex(id))] = ObjectIDHex(id) }
                }
            }
            if !externalIDs.isEmpty {
                try jobs.find(filter: ["external_id": ["$in": .array(externalIDs)]], options: FindOptions(projection: projection)) { job in
                    guard let id = job.objectID("_id"), let externalID = job.string("external_id") else { return }
                    if found[.externalID(externalID)] == nil { found[.externalID(externalID)] = ObjectIDHex(id) }
                }
            }
            return found
        }
    }

    /// Every write and the stats refresh of the users they changed in ONE transaction (see
    /// `UserEffectsTransaction`). When the database refuses that transaction for a reason other
    /// than the infrastructure (one invalid document, or a unique-index race with another
    /// worker), each write is made on its own instead, so one bad write never fails the others.
    public func writeUserEffects(matches: [MatchWrite], interactions: [InteractionWrite]) throws -> UserEffectResults {
        guard !matches.isEmpty || !interactions.isEmpty else { return UserEffectResults(matches: [], interactions: []) }
        do {
            return try UserEffectsTransaction.run(in: database, matches: matches, interactions: interactions)
        } catch let error as MongoError where !error.isInfrastructure {
            return try writeUserEffectsOneByOne(matches: matches, interactions: interactions)
        } catch let error as MongoError {
            throw error.storageError
        }
    }
}

extension WriteError {
    /// This failure of one operation as the error a single operation would have thrown.
    var mongoError: MongoError {
        MongoError(kind: kind, domain: domain, code: code, message: message)
    }
}
