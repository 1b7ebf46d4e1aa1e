import JSON

/// The CloudEvents distributed-tracing attributes of an event (`traceparent`, `tracestate`,
/// W3C Trace Context), kept as the producer sent them so they can follow the event into logs
/// and dead-letter records. They never make an event invalid: a value that is not a string, or
/// longer than the W3C limits allow, is left out.
public struct TraceAttributes: Sendable, Hashable {
    /// `traceparent`, e.g. `00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01`.
    public var traceParent: String
    /// `tracestate`, vendor data that travels with it.
    public var traceState: String?

    public init(traceParent: String, traceState: String? = nil) {
        self.traceParent = traceParent
        self.traceState = traceState
    }

    /// The attributes of `envelope`; nil without a usable `traceparent`.
    init?(envelope: JSONObject) {
        guard case .string(let parent)? = envelope["traceparent"], EventLimits.traceParentLength.contains(parent.utf8.count) else {
            return nil
        }
        var state: String?
        if case .string(let value)? = envelope["tracestate"], EventLimits.traceStateLength.contains(value.utf8.count) {
            state = value
        }
        self.init(traceParent: parent, traceState: state)
    }
}
