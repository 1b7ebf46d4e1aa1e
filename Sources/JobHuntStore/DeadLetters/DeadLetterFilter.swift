import JobHuntHandlers
import MongoClient

/// Which dead letters a `dlq` command is about. Every value is used as a literal in the query,
/// never as an operator.
public struct DeadLetterFilter: Sendable, Hashable {
    /// Only these record ids.
    public var ids: [String]?
    /// Only this reason.
    public var reason: DeadLetterReason?
    /// Only this event type.
    public var eventType: String?
    /// Only this status.
    public var status: DeadLetterStatus?

    /// A filter; nil fields do not filter.
    public init(ids: [String]? = nil, reason: DeadLetterReason? = nil, eventType: String? = nil, status: DeadLetterStatus? = nil) {
        self.ids = ids
        self.reason = reason
        self.eventType = eventType
        self.status = status
    }

    var document: BSONDocument {
        var document = BSONDocument()
        if let ids { document["_id"] = ["$in": .array(ids.map(BSONValue.string))] }
        if let reason { document["reason"] = .string(reason.rawValue) }
        if let eventType { document["event_type"] = .string(eventType) }
        if let status { document["status"] = .string(status.rawValue) }
        return document
    }
}
