import JobHuntEvents

/// Why a message can never succeed as it is (contract §6). The raw values are the contract's.
public enum DeadLetterReason: String, Sendable, CaseIterable, Codable {
    /// Body over 1 MiB, invalid JSON or invalid UTF-8.
    case malformed
    /// Wrong or missing fields, out-of-range values, forbidden object keys.
    case schemaInvalid = "schema_invalid"
    /// `type` is none of the known event types.
    case unknownType = "unknown_type"
    /// A referenced user or job still did not exist when the retry window closed.
    case missingReference = "missing_reference"
    /// A different event for an interaction (user, job, type) that already exists.
    case duplicateInteraction = "duplicate_interaction"
    /// Any other write that the database rejected.
    case constraintViolation = "constraint_violation"
    /// The broker's delivery limit was reached (the message kept failing or crashing workers).
    case poison

    /// The dead-letter reason of an event that failed to decode.
    public init(_ reason: DecodingFailureReason) {
        switch reason {
        case .malformed: self = .malformed
        case .schemaInvalid: self = .schemaInvalid
        case .unknownType: self = .unknownType
        }
    }
}
