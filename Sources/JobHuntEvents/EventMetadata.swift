/// The CloudEvents attributes the worker uses (contract §4).
public struct EventMetadata: Sendable, Hashable {
    /// `id`: the idempotency key; the same id means the same event.
    public var id: String
    /// `source`: who produced the event, e.g. "scraper/linkedin".
    public var source: String
    /// `type`.
    public var type: EventType
    /// `time`: the event's own time, used to order versions of the same thing.
    public var time: Timestamp
    /// `traceparent` and `tracestate`, when the producer sent them.
    public var trace: TraceAttributes?

    /// Metadata with the given attributes (not validated; `EventDecoder` is the gate).
    public init(id: String, source: String, type: EventType, time: Timestamp, trace: TraceAttributes? = nil) {
        self.id = id
        self.source = source
        self.type = type
        self.time = time
        self.trace = trace
    }
}
