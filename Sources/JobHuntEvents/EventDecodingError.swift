/// Why a body cannot be decoded: the contract's dead-letter reasons for decoding (§6).
public enum DecodingFailureReason: String, Sendable, Hashable, CaseIterable {
    /// Over 1 MiB, not valid UTF-8, not valid JSON (duplicate keys and excessive nesting
    /// included), or not a JSON object.
    case malformed
    /// Wrong or missing fields, wrong types, out-of-range values, forbidden object keys.
    case schemaInvalid = "schema_invalid"
    /// A well-formed envelope whose `type` is not one of the known event types.
    case unknownType = "unknown_type"
}

/// A body rejected by `EventDecoder`, with what could be read of the event for dead letters.
public struct EventDecodingError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The dead-letter reason.
    public var reason: DecodingFailureReason
    /// What is wrong, naming the field path (e.g. "data.salary_range.max") but never
    /// echoing payload values, so it is safe to log and store.
    public var detail: String
    /// The envelope's `id`, when it is a valid id (a string of acceptable length).
    public var eventID: String?
    /// The envelope's `type`, when it is a string of acceptable length (even an unknown one).
    public var eventType: String?
    /// The envelope's tracing attributes, when it has usable ones.
    public var trace: TraceAttributes?

    /// An error with the given parts.
    public init(reason: DecodingFailureReason, detail: String, eventID: String? = nil, eventType: String? = nil) {
        self.reason = reason
        self.detail = detail
        self.eventID = eventID
        self.eventType = eventType
    }

    /// "reason: detail", e.g. "schema_invalid: data.title is required".
    public var description: String { "\(reason.rawValue): \(detail)" }

    static func malformed(_ detail: String) -> EventDecodingError {
        EventDecodingError(reason: .malformed, detail: detail)
    }

    static func schemaInvalid(_ detail: String) -> EventDecodingError {
        EventDecodingError(reason: .schemaInvalid, detail: detail)
    }
}
