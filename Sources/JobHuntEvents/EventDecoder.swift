import JSON

/// Turns a message body into a validated `Event`, or says why it never can (contract §4-6).
///
/// Checks, in order: size (`maxBodyBytes`), UTF-8 and strict JSON (duplicate keys and nesting
/// deeper than `EventLimits.maxNestingDepth` included), and a top-level object (all
/// `malformed`); then the envelope: `specversion` "1.0", `id`, `source`, `type`, `time`
/// (RFC 3339), `data` (an object) (`schema_invalid`); then an unknown `type` (`unknown_type`);
/// then every key in `data` and the type's fields (`schema_invalid`). The first problem found
/// is reported; once the envelope was read, the error carries its `id` and `type`.
/// All bounds are in `EventLimits`. No Foundation; one pass over the bytes plus the tree.
public enum EventDecoder {
    /// The largest body accepted, in bytes (1 MiB).
    public static let maxBodyBytes = EventLimits.maxBodyBytes

    /// Decodes and validates one message body.
    public static func decode(_ body: [UInt8]) throws(EventDecodingError) -> Event {
        try body.withUnsafeBufferPointer { (buffer) throws(EventDecodingError) in try decode(buffer) }
    }

    /// Decodes and validates one message body held in raw memory.
    public static func decode(_ body: UnsafeRawBufferPointer) throws(EventDecodingError) -> Event {
        try decode(body.assumingMemoryBound(to: UInt8.self))
    }

    /// Decodes and validates one message body held in a byte buffer.
    public static func decode(_ body: UnsafeBufferPointer<UInt8>) throws(EventDecodingError) -> Event {
        guard body.count <= maxBodyBytes else {
            throw .malformed("body is \(body.count) bytes, over the \(maxBodyBytes)-byte limit")
        }
        let root: JSONValue
        do {
            root = try JSONParser.parse(body, limits: parseLimits)
        } catch {
            throw .malformed(malformedDetail(for: error))
        }
        guard case .object(let envelope) = root else { throw .malformed("body is not a JSON object") }
        do {
            return try decode(envelope: envelope)
        } catch {
            var error = error
            error.eventID = readableID(of: envelope)
            error.eventType = readableType(of: envelope)
            error.trace = TraceAttributes(envelope: envelope)
            throw error
        }
    }

    /// The nesting bound, and every key of the contract so parsing reuses them.
    private static let parseLimits = JSONLimits(
        maxDepth: EventLimits.maxNestingDepth,
        knownKeys: JSONKeyTable([
            "specversion", "id", "source", "type", "time", "datacontenttype", "data", "subject",
            "dataschema", "traceparent", "tracestate", "external_id", "title", "company", "description", "location", "remote_type",
            "skills_required", "posted_date", "source_url", "source_platform", "salary_range", "min", "max",
            "currency", "ml_features", "processed_text", "keyword_vector", "is_active", "user_id", "job_id",
            "job_external_id", "relevancy_score", "match_reason", "match_details", "skills_matched",
            "skills_missing", "overall_compatibility", "user_snapshot", "preferences_at_match",
            "credentials_at_match", "interaction_type",
        ]))

    /// Validates the envelope, then the data of its type.
    private static func decode(envelope: JSONObject) throws(EventDecodingError) -> Event {
        let reader = FieldReader(object: envelope, path: "")
        guard case .string("1.0") = try required("specversion", in: reader) else {
            throw .schemaInvalid("specversion must be \"1.0\"")
        }
        let id = try envelopeString("id", in: reader, length: EventLimits.eventIDLength)
        let source = try envelopeString("source", in: reader, length: EventLimits.sourceLength)
        let typeName = try envelopeString("type", in: reader, length: 0...Int.max)
        guard case .string(let timeText) = try required("time", in: reader) else {
            throw .schemaInvalid("time must be a string")
        }
        guard let time = Timestamp(rfc3339: timeText) else {
            throw .schemaInvalid("time must be an RFC 3339 date-time")
        }
        guard case .object(let data) = try required("data", in: reader) else {
            throw .schemaInvalid("data must be an object")
        }
        guard let type = EventType(rawValue: typeName) else {
            let known = EventType.allCases.map(\.rawValue).joined(separator: ", ")
            throw EventDecodingError(reason: .unknownType, detail: "type is not one of \(known)")
        }
        try StorageKeyCheck.check(data: data)
        let metadata = EventMetadata(id: id, source: source, type: type, time: time, trace: TraceAttributes(envelope: envelope))
        return Event(metadata: metadata, payload: try payload(of: type, data: data))
    }

    private static func payload(of type: EventType, data: JSONObject) throws(EventDecodingError) -> EventPayload {
        switch type {
        case .jobPosted: .jobPosted(try JobPosting(data: data))
        case .matchComputed: .matchComputed(try MatchComputed(data: data))
        case .interactionRecorded: .interactionRecorded(try InteractionRecorded(data: data))
        }
    }

    // MARK: Envelope attributes (named without a "data." prefix)

    private static func required(_ name: String, in reader: FieldReader) throws(EventDecodingError) -> JSONValue {
        guard let value = reader.value(name) else { throw .schemaInvalid("\(name) is required") }
        return value
    }

    private static func envelopeString(
        _ name: String, in reader: FieldReader, length: ClosedRange<Int>
    ) throws(EventDecodingError) -> String {
        guard case .string(let string) = try required(name, in: reader) else {
            throw .schemaInvalid("\(name) must be a string")
        }
        if let problem = StringLength.problem(string, allowed: length) {
            throw .schemaInvalid("\(name) \(problem)")
        }
        return string
    }

    /// The envelope's `id` for a dead letter, if it is a valid id.
    private static func readableID(of envelope: JSONObject) -> String? {
        guard case .string(let id)? = envelope["id"],
            StringLength.problem(id, allowed: EventLimits.eventIDLength) == nil
        else { return nil }
        return id
    }

    /// The envelope's `type` for a dead letter, if it is a string no longer than an id.
    private static func readableType(of envelope: JSONObject) -> String? {
        guard case .string(let type)? = envelope["type"],
            StringLength.problem(type, allowed: 0...EventLimits.eventIDLength.upperBound) == nil
        else { return nil }
        return type
    }

    private static func malformedDetail(for error: JSONParseError) -> String {
        switch error.kind {
        case .invalidUTF8: "body is not valid UTF-8 (\(error))"
        case .tooDeep: "body nests deeper than \(EventLimits.maxNestingDepth) levels (\(error))"
        default: "body is not valid JSON: \(error)"
        }
    }
}
