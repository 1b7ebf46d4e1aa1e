import JobHuntEvents
import JobHuntHandlers
import MongoClient

/// The `job_matches` document of a match, with the seed's field names and BSON types.
/// `matched_at` is the event's time and, with `last_event_id`, the version that wrote it.
enum MatchDocument {
    static let versionTimeField = "matched_at"
    static let versionIDField = "last_event_id"

    static func make(_ match: MatchComputed, jobID: ObjectIDHex, version: EventVersion) -> BSONDocument {
        var doc: BSONDocument = [
            "user_id": .objectID(ObjectID(match.userID)),
            "job_id": .objectID(ObjectID(jobID)),
            "relevancy_score": .double(match.relevancyScore),
            versionTimeField: .date(millisecondsSinceEpoch: version.time.millisecondsSinceEpoch),
        ]
        if let reason = match.matchReason { doc["match_reason"] = .string(reason) }
        doc["is_active"] = .bool(match.isActive)
        if let details = match.matchDetails {
            var sub = BSONDocument()
            if let matched = details.skillsMatched { sub["skills_matched"] = .array(matched.map { .string($0) }) }
            if let missing = details.skillsMissing { sub["skills_missing"] = .array(missing.map { .string($0) }) }
            if let overall = details.overallCompatibility { sub["overall_compatibility"] = .double(overall) }
            doc["match_details"] = .document(sub)
        }
        if let snapshot = match.userSnapshot {
            var sub = BSONDocument()
            if let preferences = snapshot.preferencesAtMatch { sub["preferences_at_match"] = .document(BSONDocument(json: preferences)) }
            if let credentials = snapshot.credentialsAtMatch { sub["credentials_at_match"] = .document(BSONDocument(json: credentials)) }
            doc["user_snapshot"] = .document(sub)
        }
        doc[versionIDField] = .string(version.eventID)
        return doc
    }
}

/// The `user_job_interactions` document of an interaction. `event_id` records which event
/// made it, so the same event again is told apart from a different one with the same key.
///
/// It is written with an upsert that only inserts (`$setOnInsert`): the same key again changes
/// nothing and raises no error, which matters inside a transaction, where a duplicate-key error
/// would abort everything. (An upsert stores the new document's fields in MongoDB's order: the
/// key fields, then `event_id` and `timestamp`, each group by name.)
enum InteractionDocument {
    static let eventIDField = "event_id"

    static func key(_ interaction: InteractionRecorded, jobID: ObjectIDHex) -> BSONDocument {
        [
            "user_id": .objectID(ObjectID(interaction.userID)),
            "job_id": .objectID(ObjectID(jobID)),
            "interaction_type": .string(interaction.interactionType.rawValue),
        ]
    }

    /// The fields besides the key: when, and which event.
    static func insertedFields(_ version: EventVersion) -> BSONDocument {
        [
            "timestamp": .date(millisecondsSinceEpoch: version.time.millisecondsSinceEpoch),
            eventIDField: .string(version.eventID),
        ]
    }

    /// The update of an upsert that inserts the interaction when its key is not stored yet.
    static func insertion(_ version: EventVersion) -> UpdateModification {
        .document(["$setOnInsert": .document(insertedFields(version))])
    }

    /// The upsert as a bulk operation.
    static func upsert(_ interaction: InteractionRecorded, jobID: ObjectIDHex, version: EventVersion) -> WriteModel {
        .updateOne(filter: key(interaction, jobID: jobID), update: insertion(version), upsert: true)
    }
}
