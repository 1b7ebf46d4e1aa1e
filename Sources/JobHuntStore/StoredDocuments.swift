import JobHuntEvents
import JobHuntHandlers
import MongoClient

/// The documents the worker stores, with their field names and BSON types, for tools that
/// write a known final state directly (the benchmark's database ceiling).
public enum StoredDocuments {
    /// The `jobs` document of `posting` written by the event `version`, with `_id` `id`.
    public static func job(_ posting: JobPosting, id: ObjectIDHex, version: EventVersion) -> BSONDocument {
        let key: BSONDocument = ["_id": .objectID(ObjectID(id))]
        return key.appending(JobDocument.make(posting, version: version))
    }

    /// The `job_matches` document of `match` with the job `jobID`, written by the event `version`.
    public static func match(_ match: MatchComputed, jobID: ObjectIDHex, version: EventVersion) -> BSONDocument {
        MatchDocument.make(match, jobID: jobID, version: version).withNewObjectID()
    }

    /// The `user_job_interactions` document of `key` recorded by the event `version`.
    public static func interaction(_ key: InteractionKey, version: EventVersion) -> BSONDocument {
        InteractionDocument.make(key, version: version)
    }

    /// The `user_stats` document of `user` with `counts`.
    public static func stats(user: ObjectIDHex, counts: StatsCounts) -> BSONDocument {
        let key: BSONDocument = ["_id": .objectID(ObjectID()), "user_id": .objectID(ObjectID(user))]
        return key.appending(StatsDocument.fields(counts))
    }
}
