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
enum InteractionDocument {
    static let eventIDField = "event_id"

    static func key(_ interaction: InteractionRecorded, jobID: ObjectIDHex) -> BSONDocument {
        [
            "user_id": .objectID(ObjectID(interaction.userID)),
            "job_id": .objectID(ObjectID(jobID)),
            "interaction_type": .string(interaction.interactionType.rawValue),
        ]
    }

    static func make(_ interaction: InteractionRecorded, jobID: ObjectIDHex, version: EventVersion) -> BSONDocument {
        key(interaction, jobID: jobID)
            .setting("timestamp", to: .date(millisecondsSinceEpoch: version.time.millisecondsSinceEpoch))
            .setting(eventIDField, to: .string(version.eventID))
    }
}
