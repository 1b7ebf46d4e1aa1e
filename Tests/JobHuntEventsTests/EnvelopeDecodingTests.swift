import JobHuntEvents
import JobHuntTesting
import Testing

@Suite("Envelope decoding")
struct EnvelopeDecodingTests {
    @Test func decodesMetadataAndIgnoresUnknownAttributes() throws {
        var envelope = EnvelopeText()
        envelope.extra = #""datacontenttype":"application/json","traceparent":{"x":[1]},"$weird":1"#
        let event = try EventDecoder.decode(envelope.bytes)
        #expect(event.metadata.id == "evt-1")
        #expect(event.metadata.source == "scraper/test")
        #expect(event.metadata.type == .jobPosted)
        #expect(event.metadata.time == Timestamp(rfc3339: "2026-11-24T10:15:00.000Z"))
        #expect(event.payload.eventType == .jobPosted)
    }

    @Test(arguments: EventType.allCases)
    func dispatchesOnType(type: EventType) throws {
        let event = try EventDecoder.decode(Self.event(of: type).body)
        #expect(event.metadata.type == type)
        #expect(event.payload.eventType == type)
    }

    private static func event(of type: EventType) -> Event {
        switch type {
        case .jobPosted: TestEvents.jobPosted(id: "evt-1")
        case .matchComputed: TestEvents.match(id: "evt-1")
        case .interactionRecorded: TestEvents.interaction(id: "evt-1", type: .saved)
        }
    }

    @Test func routingKeysAreTheContracts() {
        #expect(EventType.allCases.map(\.routingKey) == ["job.posted", "match.computed", "interaction.recorded"])
    }

    @Test func rawBufferOverloadDecodesTheSame() throws {
        let bytes = EnvelopeText().bytes
        let viaRaw = try bytes.withUnsafeBytes { (raw) throws(EventDecodingError) in try EventDecoder.decode(raw) }
        #expect(try viaRaw == EventDecoder.decode(bytes))
    }

    @Test func oversizedBodyIsMalformed() {
        let padding = String(repeating: " ", count: EventDecoder.maxBodyBytes)
        let error = decodeError(Array((EnvelopeText().text + padding).utf8))
        #expect(summary(error) == "malformed: body is \(EnvelopeText().text.utf8.count + (1 << 20)) bytes, over the 1048576-byte limit")
    }

    @Test func bodyOfExactlyTheLimitIsAccepted() throws {
        let text = EnvelopeText().text
        let bytes = Array((text + String(repeating: " ", count: EventDecoder.maxBodyBytes - text.utf8.count)).utf8)
        #expect(bytes.count == EventDecoder.maxBodyBytes)
        #expect(decodeError(bytes) == nil)
    }

    @Test func nonUTF8BodyIsMalformed() {
        var bytes = EnvelopeText().bytes
        bytes.insert(0xFF, at: 30)
        #expect(summary(decodeError(bytes)) == "malformed: body is not valid UTF-8 (invalid UTF-8 at byte 30)")
    }

    @Test(arguments: ["", "{", "{\"id\":1,\"id\":2}", "{} x", "[1]]"])
    func invalidJSONIsMalformed(text: String) {
        let error = decodeError(Array(text.utf8))
        #expect(error?.reason == .malformed)
        #expect(error?.detail.hasPrefix("body is not valid JSON: ") == true)
    }

    @Test(arguments: ["[]", "\"JobPosted\"", "null", "42", "true"])
    func nonObjectIsMalformed(text: String) {
        #expect(summary(decodeError(Array(text.utf8))) == "malformed: body is not a JSON object")
    }

    @Test func excessiveNestingIsMalformed() {
        let deep = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
        let error = decodeError(EnvelopeText(data: "{\"x\":\(deep)}").bytes)
        #expect(error?.reason == .malformed)
        #expect(error?.detail.hasPrefix("body nests deeper than 32 levels") == true)
    }

    @Test func megabyteOfBracketsFailsFast() {
        let error = decodeError([UInt8](repeating: UInt8(ascii: "["), count: 1 << 20))
        #expect(error?.reason == .malformed)
    }

    @Test(arguments: [
        ("specversion", nil, "specversion is required"),
        ("specversion", "null", "specversion is required"),
        ("specversion", #""0.3""#, "specversion must be \"1.0\""),
        ("specversion", "1.0", "specversion must be \"1.0\""),
        ("id", nil, "id is required"),
        ("id", "17", "id must be a string"),
        ("id", #""""#, "id must not be empty"),
        ("source", nil, "source is required"),
        ("source", #""""#, "source must not be empty"),
        ("source", #"{"a":"b"}"#, "source must be a string"),
        ("type", nil, "type is required"),
        ("type", "[\"JobPosted\"]", "type must be a string"),
        ("time", nil, "time is required"),
        ("time", "1700000000", "time must be a string"),
        ("time", #""2026-02-30T10:00:00Z""#, "time must be an RFC 3339 date-time"),
        ("time", #""2026-11-24 10:15:00Z""#, "time must be an RFC 3339 date-time"),
        ("data", nil, "data is required"),
        ("data", #""{}""#, "data must be an object"),
        ("data", "[]", "data must be an object"),
    ] as [(String, String?, String)])
    func envelopeAttributeErrorsAreSchemaInvalid(
        attribute: String, value: String?, detail: String
    ) {
        var envelope = EnvelopeText()
        envelope.set(attribute, to: value)
        #expect(summary(decodeError(envelope)) == "schema_invalid: \(detail)")
    }

    @Test func idLengthCountsUnicodeScalars() {
        var envelope = EnvelopeText()
        envelope.id = "\"\(String(repeating: "é", count: 256))\""  // 512 bytes, 256 scalars
        #expect(decodeError(envelope) == nil)
        envelope.id = "\"\(String(repeating: "a", count: 257))\""
        #expect(summary(decodeError(envelope)) == "schema_invalid: id must have at most 256 characters")
        #expect(decodeError(envelope)?.eventID == nil)
    }

    @Test(arguments: ["JobDeleted", "jobposted", ""])
    func unknownTypeNamesTheKnownOnesAndRecordsIDAndType(type: String) {
        let error = decodeError(EnvelopeText(type: type, data: "{}"))
        #expect(summary(error) == "unknown_type: type is not one of JobPosted, MatchComputed, InteractionRecorded")
        #expect(error?.eventID == "evt-1")
        #expect(error?.eventType == type)
    }

    @Test func schemaErrorsCarryIDAndType() {
        let error = dataError("{}", type: "MatchComputed")
        #expect(error?.reason == .schemaInvalid)
        #expect(error?.eventID == "evt-1")
        #expect(error?.eventType == "MatchComputed")
    }

    @Test func errorsNeverEchoPayloadValues() {
        var envelope = EnvelopeText(data: #"{"external_id":"SECRET-1","title":"SECRET-2","company":{"x":"SECRET-3"}}"#)
        envelope.time = #""SECRET-4""#
        let timeError = decodeError(envelope)
        envelope.time = #""2026-11-24T10:15:00Z""#
        let dataError = decodeError(envelope)
        for error in [timeError, dataError] {
            #expect(error != nil)
            #expect(error?.description.contains("SECRET") == false)
        }
        #expect(summary(dataError) == "schema_invalid: data.company must be a string")
    }
}
