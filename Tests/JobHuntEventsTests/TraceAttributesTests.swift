import JobHuntEvents
import JobHuntTesting
import Testing

/// The CloudEvents tracing attributes: kept when usable, never a reason to reject an event.
@Suite struct TraceAttributesTests {
    let parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

    private func envelope(extra: String) -> EnvelopeText {
        var envelope = EnvelopeText()
        envelope.extra = extra
        return envelope
    }

    @Test func traceparentAndTracestateAreKept() throws {
        let event = try decodeResult(envelope(extra: #""traceparent":"\#(parent)","tracestate":"congo=t61rcWkgMzE""#).bytes).get()
        #expect(event.metadata.trace == TraceAttributes(traceParent: parent, traceState: "congo=t61rcWkgMzE"))
    }

    @Test func unusableValuesAreLeftOutAndTheEventStaysValid() throws {
        let notAString = try decodeResult(envelope(extra: #""traceparent":42"#).bytes).get()
        #expect(notAString.metadata.trace == nil)
        let longState = String(repeating: "a", count: 513)
        let tooLong = try decodeResult(envelope(extra: #""traceparent":"\#(parent)","tracestate":"\#(longState)""#).bytes).get()
        #expect(tooLong.metadata.trace == TraceAttributes(traceParent: parent, traceState: nil))
        let absent = try decodeResult(EnvelopeText().bytes).get()
        #expect(absent.metadata.trace == nil)
    }

    @Test func anInvalidEventStillCarriesItsTraceForTheDeadLetter() {
        var broken = envelope(extra: #""traceparent":"\#(parent)""#)
        broken.set("data", to: "{}")
        let error = decodeError(broken)
        #expect(error?.reason == .schemaInvalid)
        #expect(error?.trace?.traceParent == parent)
    }

    @Test func theEncoderWritesThemBack() throws {
        var event = TestEvents.jobPosted(id: "e1")
        event.metadata.trace = TraceAttributes(traceParent: parent, traceState: "k=v")
        #expect(try EventDecoder.decode(EventEncoder.encode(event)) == event)
    }
}
