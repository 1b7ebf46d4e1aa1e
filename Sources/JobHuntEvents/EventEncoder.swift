import JSON

/// Builds CloudEvents envelope bodies from events: for tests, the benchmark, examples and
/// publishers. It encodes what it is given without validating it; `EventDecoder` is the
/// gate, and it decodes the encoding of any valid event back to an equal event.
public enum EventEncoder {
    /// The JSON body of `event`: compact, UTF-8, `datacontenttype` "application/json".
    public static func encode(_ event: Event) -> [UInt8] {
        envelope(of: event).jsonBytes
    }

    /// The envelope of `event` as a JSON value; absent optional fields are omitted.
    public static func envelope(of event: Event) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("specversion", "1.0"),
            ("id", .string(event.metadata.id)),
            ("source", .string(event.metadata.source)),
            ("type", .string(event.metadata.type.rawValue)),
            ("time", .string(event.metadata.time.rfc3339)),
            ("datacontenttype", "application/json"),
        ]
        if let trace = event.metadata.trace {
            members.append(("traceparent", .string(trace.traceParent)))
            if let state = trace.traceState { members.append(("tracestate", .string(state))) }
        }
        members.append(("data", .object(data(of: event.payload))))
        return .object(JSONObject(members))
    }

    /// The `data` object of a payload, fields in the contract's order.
    public static func data(of payload: EventPayload) -> JSONObject {
        var members = MemberList()
        switch payload {
        case .jobPosted(let job): job.appendMembers(to: &members)
        case .matchComputed(let match): match.appendMembers(to: &members)
        case .interactionRecorded(let interaction): interaction.appendMembers(to: &members)
        }
        return JSONObject(members.members)
    }
}

/// Collects object members, skipping absent optionals.
struct MemberList {
    var members: [JSONObject.Member] = []

    mutating func add(_ key: String, _ value: JSONValue?) {
        if let value { members.append(JSONObject.Member(key: key, value: value)) }
    }

    mutating func add(_ key: String, _ string: String?) {
        add(key, string.map(JSONValue.string))
    }

    mutating func add(_ key: String, _ strings: [String]?) {
        add(key, strings.map { .array($0.map(JSONValue.string)) })
    }

    mutating func add(_ key: String, _ number: Double?) {
        add(key, number.map(JSONValue.double))
    }

    mutating func add(_ key: String, _ object: JSONObject?) {
        add(key, object.map(JSONValue.object))
    }

    /// Adds `job_id` or `job_external_id`, whichever names the job.
    mutating func addJobReference(_ reference: JobReference) {
        switch reference {
        case .id(let id): add("job_id", id.hex)
        case .externalID(let externalID): add("job_external_id", externalID)
        }
    }

    var object: JSONValue { .object(JSONObject(members)) }
}

extension JobPosting {
    func appendMembers(to list: inout MemberList) {
        list.add("external_id", externalID)
        list.add("title", title)
        list.add("company", company)
        list.add("description", description)
        list.add("location", location)
        list.add("remote_type", remoteType?.rawValue)
        list.add("skills_required", skillsRequired)
        list.add("posted_date", postedDate?.rfc3339)
        list.add("source_url", sourceURL)
        list.add("source_platform", sourcePlatform)
        if let salaryRange {
            var salary = MemberList()
            salary.add("min", salaryRange.min?.jsonValue)
            salary.add("max", salaryRange.max?.jsonValue)
            salary.add("currency", salaryRange.currency)
            list.add("salary_range", salary.object)
        }
        if let mlFeatures {
            var features = MemberList()
            features.add("processed_text", mlFeatures.processedText)
            features.add("keyword_vector", mlFeatures.keywordVector.map { .array($0.map(\.jsonValue)) })
            list.add("ml_features", features.object)
        }
        list.add("is_active", .bool(isActive))
    }
}

extension MatchComputed {
    func appendMembers(to list: inout MemberList) {
        list.add("user_id", userID.hex)
        list.addJobReference(job)
        list.add("relevancy_score", relevancyScore)
        list.add("match_reason", matchReason)
        if let matchDetails {
            var details = MemberList()
            details.add("skills_matched", matchDetails.skillsMatched)
            details.add("skills_missing", matchDetails.skillsMissing)
            details.add("overall_compatibility", matchDetails.overallCompatibility)
            list.add("match_details", details.object)
        }
        if let userSnapshot {
            var snapshot = MemberList()
            snapshot.add("preferences_at_match", userSnapshot.preferencesAtMatch)
            snapshot.add("credentials_at_match", userSnapshot.credentialsAtMatch)
            list.add("user_snapshot", snapshot.object)
        }
        list.add("is_active", .bool(isActive))
    }
}

extension InteractionRecorded {
    func appendMembers(to list: inout MemberList) {
        list.add("user_id", userID.hex)
        list.addJobReference(job)
        list.add("interaction_type", interactionType.rawValue)
    }
}
