import JobHuntEvents
@testable import JobHuntWorker
import Testing

/// The trace id that log lines carry comes from a valid `traceparent` only.
@Suite struct TraceIDTests {
    @Test func aValidTraceparentGivesItsTraceID() {
        let trace = TraceAttributes(traceParent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
        #expect(trace.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
    }

    @Test(arguments: [
        "not a traceparent",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  // all-zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  // all-zero parent id
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",  // upper-case hex
    ])
    func anInvalidTraceparentGivesNone(_ value: String) {
        #expect(TraceAttributes(traceParent: value).traceID == nil)
    }
}
