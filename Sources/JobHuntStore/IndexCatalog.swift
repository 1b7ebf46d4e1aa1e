import MongoClient

/// Every index the seed guide lists, for all six collections, and those of the worker's own
/// dead-letter collections. Creating them is idempotent.
public enum IndexCatalog {
    /// The unique (`user_id`, `job_id`) index of `job_matches`.
    static let matchKey = "user_id_job_id_unique"
    /// The unique (`user_id`, `job_id`, `interaction_type`) index of `user_job_interactions`.
    static let interactionKey = "user_id_job_id_interaction_type_unique"
    /// The `user_id` index of `job_matches` and of `user_job_interactions`.
    static let byUser = "user_id"

    /// The indexes, by collection. Names are explicit so a re-run finds the same index.
    public static let indexes: [(collection: String, model: IndexModel)] = [
        (CollectionName.users, IndexModel(keys: ["email": .int32(1)], name: "email_unique", unique: true)),
        (CollectionName.jobs, IndexModel(keys: ["external_id": .int32(1)], name: "external_id_unique", unique: true)),
        (CollectionName.jobMatches, IndexModel(
            keys: ["user_id": .int32(1), "job_id": .int32(1)], name: matchKey, unique: true)),
        (CollectionName.jobMatches, IndexModel(keys: ["user_id": .int32(1)], name: byUser)),
        (CollectionName.jobMatches, IndexModel(keys: ["job_id": .int32(1)], name: "job_id")),
        (CollectionName.jobMatches, IndexModel(keys: ["relevancy_score": .int32(1)], name: "relevancy_score")),
        (CollectionName.savedSearches, IndexModel(keys: ["user_id": .int32(1)], name: "user_id")),
        (CollectionName.userJobInteractions, IndexModel(
            keys: ["user_id": .int32(1), "job_id": .int32(1), "interaction_type": .int32(1)],
            name: interactionKey, unique: true)),
        (CollectionName.userJobInteractions, IndexModel(keys: ["user_id": .int32(1)], name: byUser)),
        (CollectionName.userJobInteractions, IndexModel(keys: ["job_id": .int32(1)], name: "job_id")),
        (CollectionName.userStats, IndexModel(keys: ["user_id": .int32(1)], name: "user_id_unique", unique: true)),
        // The worker's own: listing dead letters by reason, type, status and time.
        (DeadLetterStore.collectionName, IndexModel(keys: ["status": .int32(1), "reason": .int32(1), "last_failed_at": .int32(-1)], name: "status_reason_time")),
        (DeadLetterStore.collectionName, IndexModel(keys: ["status": .int32(1), "event_type": .int32(1), "last_failed_at": .int32(-1)], name: "status_type_time")),
        (DeadLetterStore.collectionName, IndexModel(keys: ["last_failed_at": .int32(-1)], name: "last_failed_at")),
        (DeadLetterStore.collectionName, IndexModel(keys: ["event_id": .int32(1)], name: "event_id")),
        (DeadLetterStore.chunksCollectionName, IndexModel(keys: ["dead_letter_id": .int32(1), "n": .int32(1)], name: "dead_letter_id_n")),
    ]

    /// Creates every index in `database` (a no-op for those that exist).
    public static func ensureIndexes(in database: MongoDatabase) throws {
        var byCollection: [String: [IndexModel]] = [:]
        var order: [String] = []
        for (collection, model) in indexes {
            if byCollection[collection] == nil { order.append(collection) }
            byCollection[collection, default: []].append(model)
        }
        for collection in order {
            try database.collection(collection).createIndexes(byCollection[collection] ?? [])
        }
    }
}
