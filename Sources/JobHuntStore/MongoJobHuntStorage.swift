import JobHuntEvents
import JobHuntHandlers
import MongoClient

/// `JobHuntStorage` on MongoDB. Safe to share between threads: every call pops its own client
/// from the pool.
///
/// Exactness of `user_stats`: every write that can change a user's stats (a match, an
/// interaction) runs in one multi-document transaction with the recomputation of that user's
/// stats from the source collections. A crash between any two steps leaves either both or
/// neither; two workers touching the same user conflict on the stats document and one of them
/// retries its whole transaction, seeing the other's write. Recomputing (rather than
/// incrementing) also heals stats that something else made wrong. The cost per match or
/// interaction event: the write, one aggregation, one find over the user's active matches, one
/// upsert, and the commit.
public struct MongoJobHuntStorage: JobHuntStorage {
    let database: MongoDatabase
    private var pool: MongoClientPool { database.pool }

    /// Storage in `database`.
    public init(database: MongoDatabase) {
        self.database = database
    }

    /// One conditional upsert: the filter matches only an older version, so a newer document
    /// makes the upsert collide with the unique `external_id` index instead of overwriting it.
    /// A collision can also be two workers inserting the same new job at once; the second try
    /// then sees the inserted document and decides on versions alone.
    public func upsertJob(_ job: JobPosting, version: EventVersion) throws -> VersionedWriteResult {
        try translatingMongoErrors {
            let jobs = database.collection(CollectionName.jobs)
            let key: BSONDocument = ["external_id": .string(job.externalID)]
            let filter = VersionFilter.olderThan(version, key: key, timeField: JobDocument.versionTimeField, idField: JobDocument.versionIDField)
            let replacement = JobDocument.make(job, version: version)
            for _ in 0..<2 {
                do {
                    try jobs.replaceOne(filter: filter, replacement: replacement, upsert: true)
                    return .written
                } catch let error as MongoError where error.isDuplicateKey {
                    continue
                }
            }
            let current = try jobs.findOne(filter: key)
            return VersionFilter.records(version, in: current, timeField: JobDocument.versionTimeField, idField: JobDocument.versionIDField)
                ? .sameVersion : .newerVersionPresent
        }
    }

    public func userExists(_ userID: ObjectIDHex) throws -> Bool {
        try translatingMongoErrors {
            try database.collection(CollectionName.users).findOne(
                filter: ["_id": .objectID(ObjectID(userID))], options: FindOptions(projection: ["_id": 1])) != nil
        }
    }

    public func jobID(for reference: JobReference) throws -> ObjectIDHex? {
        try translatingMongoErrors {
            let filter: BSONDocument
            switch reference {
            case .id(let id): filter = ["_id": .objectID(ObjectID(id))]
            case .externalID(let externalID): filter = ["external_id": .string(externalID)]
            }
            let job = try database.collection(CollectionName.jobs).findOne(filter: filter, options: FindOptions(projection: ["_id": 1]))
            return job?.objectID("_id").map(ObjectIDHex.init)
        }
    }

    public func upsertMatch(_ match: MatchComputed, jobID: ObjectIDHex, version: EventVersion) throws -> VersionedWriteResult {
        let matches = database.collection(CollectionName.jobMatches)
        let key: BSONDocument = ["user_id": .objectID(ObjectID(match.userID)), "job_id": .objectID(ObjectID(jobID))]
        let filter = VersionFilter.olderThan(version, key: key, timeField: MatchDocument.versionTimeField, idField: MatchDocument.versionIDField)
        let replacement = MatchDocument.make(match, jobID: jobID, version: version)
        let written = try writeWithStats(of: match.userID) { session in
            try matches.replaceOne(filter: filter, replacement: replacement, upsert: true, session: session)
            return true
        }
        if written { return .written }
        let current = try translatingMongoErrors { try matches.findOne(filter: key) }
        return VersionFilter.records(version, in: current, timeField: MatchDocument.versionTimeField, idField: MatchDocument.versionIDField)
            ? .sameVersion : .newerVersionPresent
    }

    public func recordInteraction(_ interaction: InteractionRecorded, jobID: ObjectIDHex, version: EventVersion) throws -> InteractionWriteResult {
        let interactions = database.collection(CollectionName.userJobInteractions)
        let key = InteractionDocument.key(interaction, jobID: jobID)
        let recorded = try writeWithStats(of: interaction.userID) { session in
            try interactions.updateOne(filter: key, update: InteractionDocument.insertion(version), upsert: true, session: session).upsertedID != nil
        }
        if recorded { return .recorded }
        let existing = try translatingMongoErrors { try interactions.findOne(filter: key) }
        let existingEventID = existing?.string(InteractionDocument.eventIDField)
        return existingEventID == version.eventID ? .sameEvent : .recordedByAnotherEvent(eventID: existingEventID)
    }

    /// Runs `write` and, when it says it changed something, the recomputation of `user`'s stats,
    /// in one transaction. Returns what `write` said, or false (and commits nothing) when
    /// `write` hits a unique index: the caller then reads what is there. A unique-index
    /// collision can also be a race with another worker inserting the same key, so the
    /// transaction is tried once more before that answer is final.
    private func writeWithStats(of user: ObjectIDHex, _ write: @escaping (MongoSession) throws -> Bool) throws -> Bool {
        try translatingMongoErrors {
            try pool.withSession { session in
                for attempt in 0..<2 {
                    do {
                        return try session.withTransaction(timeLimit: MongoSession.storeTransactionTimeLimit) {
                            guard try write(session) else { return false }
                            try StatsCalculator(database: database).refresh(user: ObjectID(user), session: session)
                            return true
                        }
                    } catch let error as MongoError where error.isDuplicateKey && attempt == 0 {
                        continue
                    } catch let error as MongoError where error.isDuplicateKey {
                        return false
                    }
                }
                return false
            }
        }
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
