import JobHuntHandlers
import JobHuntTesting
import Testing

@Suite struct MessageProcessorTests {
    let storage = InMemoryJobHuntStorage()
    var processor: MessageProcessor { MessageProcessor(handler: EventHandler(storage: storage)) }

    private func reason(of body: [UInt8]) throws -> DeadLetterReason? {
        if case .rejected(let reason, _) = try processor.process(body).outcome { return reason }
        return nil
    }

    @Test func invalidJSONIsMalformed() throws {
        #expect(try reason(of: Array("{not json".utf8)) == .malformed)
    }

    @Test func invalidUTF8IsMalformed() throws {
        #expect(try reason(of: [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D]) == .malformed)
    }

    @Test func aMissingRequiredFieldIsSchemaInvalidAndKeepsTheEventID() throws {
        let body = Array(#"{"specversion":"1.0","id":"e9","source":"s","type":"JobPosted","time":"2026-01-01T00:00:00Z","data":{"title":"t","company":"c"}}"#.utf8)
        let result = try processor.process(body)
        guard case .rejected(.schemaInvalid, let detail) = result.outcome else {
            Issue.record("expected schema_invalid, got \(result.outcome)")
            return
        }
        #expect(detail.contains("external_id"))
        #expect(result.eventID == "e9")
        #expect(storage.jobCount == 0)
    }

    @Test func anUnknownTypeIsUnknownType() throws {
        let body = Array(#"{"specversion":"1.0","id":"e9","source":"s","type":"JobDeleted","time":"2026-01-01T00:00:00Z","data":{}}"#.utf8)
        #expect(try reason(of: body) == .unknownType)
    }
}
