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

extension MatchDocument {
    /// The missing skills `match` lists (strings only).
    static func skillsMissing(in match: BSONDocument) -> [String] {
        (match.document("match_details")?.array("skills_missing") ?? []).compactMap(\.stringValue)
    }

    /// The projection that reads what `stored(_:)` needs.
    static let storedProjection: BSONDocument = [
        "_id": 1, "user_id": 1, "job_id": 1, versionTimeField: 1, versionIDField: 1, "is_active": 1,
        "match_details.skills_missing": 1,
    ]

    /// A stored match as the plan sees it. It counts towards the top missing skill only when
    /// `is_active` is true, the same test as `StatsCalculator`'s.
    static func stored(_ match: BSONDocument) -> StoredMatch {
        StoredMatch(
            version: StoredVersion.match.version(in: match),
            countedSkills: match.bool("is_active") == true ? Set(skillsMissing(in: match)) : [])
    }
}

/// The `user_job_interactions` document of an interaction. `event_id` records which event
/// made it, so the same event again is told apart from a different one with the same key.
enum InteractionDocument {
    static let eventIDField = "event_id"

    /// The document inserted for the interaction `key` made by the event `version`.
    static func make(_ key: InteractionKey, version: EventVersion) -> BSONDocument {
        [
            "_id": .objectID(ObjectID()),
            "user_id": .objectID(ObjectID(key.user)),
            "job_id": .objectID(ObjectID(key.job)),
            "interaction_type": .string(key.type.rawValue),
            "timestamp": .date(millisecondsSinceEpoch: version.time.millisecondsSinceEpoch),
            eventIDField: .string(version.eventID),
        ]
    }
}
