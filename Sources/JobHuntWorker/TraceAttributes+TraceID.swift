import JobHuntEvents
import W3CTraceContext

extension TraceAttributes {
    /// The trace id (32 lowercase hex digits) that log lines carry as `trace.id`, when
    /// `traceparent` is valid W3C Trace Context; nil otherwise (the attributes are still kept).
    var traceID: String? {
        guard let context = try? TraceContext(traceParentHeaderValue: traceParent, traceStateHeaderValue: traceState) else {
            return nil
        }
        let fields = context.traceParentHeaderValue.split(separator: "-")
        return fields.count > 1 ? String(fields[1]) : nil
    }
}
