import JSON

extension InteractionRecorded {
    /// Validates the `data` of an InteractionRecorded event.
    init(data: JSONObject) throws(EventDecodingError) {
        let reader = FieldReader(object: data, path: "data")
        let userID = try reader.requiredObjectID("user_id")
        let job = try JobReference(reader: reader)
        guard let interactionType = try reader.optionalEnum("interaction_type", as: InteractionType.self) else {
            throw reader.invalid("interaction_type", "is required")
        }
        self.init(userID: userID, job: job, interactionType: interactionType)
    }
}
