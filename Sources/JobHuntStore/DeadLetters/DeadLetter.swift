import Crypto
import JobHuntEvents
import JobHuntHandlers
import MongoClient

/// A message that can never succeed as it is, with everything needed to understand and
/// replay it (contract §6). One record per distinct message: `id` is the SHA-256 of its body.
/// The message and why it failed are its `failure`, whose fields read as the record's own
/// (`record.reason`, `record.body`, ...).
@dynamicMemberLookup
public struct DeadLetter: Sendable, Hashable {
    /// The SHA-256 of the body, hex: the same message failing again updates this record.
    public var id: String
    /// The message and why it failed, as last recorded.
    public var failure: DeadLetterFailure
    /// When it first failed (milliseconds since the epoch).
    public var firstFailedAt: Int64
    /// When it last failed.
    public var lastFailedAt: Int64
    /// How many times it failed.
    public var attempts: Int
    /// `dead`, `replayed` or `discarded`.
    public var status: DeadLetterStatus
    /// When it was last replayed, if ever.
    public var replayedAt: Int64?

    /// A field of the failure, read as the record's own.
    public subscript<Value>(dynamicMember field: KeyPath<DeadLetterFailure, Value>) -> Value {
        failure[keyPath: field]
    }

    /// The record id of a message with this body: its SHA-256 as 64 lowercase hex digits.
    /// Stored records are found by it, so its spelling must never change.
    public static func id(ofBody body: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in SHA256.hash(data: body) {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// Where a dead letter stands.
public enum DeadLetterStatus: String, Sendable, Hashable, CaseIterable {
    /// Waiting for an operator.
    case dead
    /// Published again (its record stays, for audit).
    case replayed
    /// Given up on by an operator (kept for audit).
    case discarded
}

/// A failure to record: what the consumer knows when it gives up on a message.
public struct DeadLetterFailure: Sendable, Hashable {
    /// The event's `id`, when known.
    public var eventID: String?
    /// The event's `type`, when known.
    public var eventType: String?
    /// The contract's reason.
    public var reason: DeadLetterReason
    /// What exactly is wrong.
    public var detail: String
    /// The queue it came from.
    public var queue: String
    /// Its routing key.
    public var routingKey: String
    /// The body, exactly as received.
    public var body: [UInt8]
    /// Its AMQP headers, as a document.
    public var headers: BSONDocument
    /// Its content type.
    public var contentType: String?
    /// The event's `traceparent` and `tracestate`, when it had usable ones.
    public var trace: TraceAttributes?

    /// A failure with these fields.
    public init(
        eventID: String?, eventType: String?, reason: DeadLetterReason, detail: String, queue: String,
        routingKey: String, body: [UInt8], headers: BSONDocument, contentType: String?, trace: TraceAttributes? = nil
    ) {
        self.eventID = eventID
        self.eventType = eventType
        self.reason = reason
        self.detail = detail
        self.queue = queue
        self.routingKey = routingKey
        self.body = body
        self.headers = headers
        self.contentType = contentType
        self.trace = trace
    }
}
