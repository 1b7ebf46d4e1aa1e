import JSON

extension MatchComputed {
    /// Validates the `data` of a MatchComputed event (limits in `EventLimits`).
    init(data: JSONObject) throws(EventDecodingError) {
        let reader = FieldReader(object: data, path: "data")
        self.init(
            userID: try reader.requiredObjectID("user_id"),
            job: try JobReference(reader: reader),
            relevancyScore: try reader.requiredScore("relevancy_score"),
            matchReason: try reader.optionalString("match_reason", length: EventLimits.matchReasonLength),
            matchDetails: try reader.optionalReader("match_details", nestedPath: "data.match_details")
                .map { (nested) throws(EventDecodingError) in try MatchDetails(reader: nested) },
            userSnapshot: try reader.optionalReader("user_snapshot", nestedPath: "data.user_snapshot")
                .map { (nested) throws(EventDecodingError) in try UserSnapshot(reader: nested) },
            isActive: try reader.optionalBool("is_active") ?? true
        )
    }
}

extension JobReference {
    /// Reads exactly one of `job_id` (ObjectId hex) and `job_external_id` (non-empty string).
    init(reader: FieldReader) throws(EventDecodingError) {
        let id = try reader.optionalObjectID("job_id")
        let externalID = try reader.optionalString("job_external_id", length: EventLimits.externalIDLength)
        switch (id, externalID) {
        case (let id?, nil): self = .id(id)
        case (nil, let externalID?): self = .externalID(externalID)
        default:
            throw .schemaInvalid("exactly one of \(reader.path).job_id and \(reader.path).job_external_id is required")
        }
    }
}

extension MatchDetails {
    /// Validates `data.match_details`.
    init(reader: FieldReader) throws(EventDecodingError) {
        self.init(
            skillsMatched: try reader.optionalStringArray(
                "skills_matched", maxCount: EventLimits.maxSkillCount, itemLength: EventLimits.skillLength),
            skillsMissing: try reader.optionalStringArray(
                "skills_missing", maxCount: EventLimits.maxSkillCount, itemLength: EventLimits.skillLength),
            overallCompatibility: try reader.optionalScore("overall_compatibility"))
    }
}

extension UserSnapshot {
    /// Validates `data.user_snapshot`: both parts, when present, must be objects.
    init(reader: FieldReader) throws(EventDecodingError) {
        self.init(
            preferencesAtMatch: try reader.optionalObject("preferences_at_match"),
            credentialsAtMatch: try reader.optionalObject("credentials_at_match"))
    }
}
