import JSON
import JobHuntEvents
import Testing

@Suite("EventEncoder output decodes to the same event")
struct EncoderRoundTripTests {
    static let time = Timestamp(millisecondsSinceEpoch: 1_795_515_300_123)

    static let events: [Event] = [
        Event(
            metadata: EventMetadata(id: "evt-job", source: "scraper/linkedin", type: .jobPosted, time: time),
            payload: .jobPosted(JobPosting(
                externalID: "job-123", title: "Research \"Scientist\"\n", company: "Labs ✓",
                description: "tab\there \u{0}nul", location: "SF", remoteType: .remote,
                skillsRequired: ["Python", "日本語"], postedDate: Timestamp(millisecondsSinceEpoch: -1),
                sourceURL: "https://example.com/a?b=c&d", sourcePlatform: "LinkedIn",
                salaryRange: SalaryRange(min: .integer(Int64.max - 1), max: .integer(Int64.max), currency: "USD"),
                mlFeatures: MLFeatures(processedText: "", keywordVector: [.double(0.1), .integer(-3), .double(1e-300), .double(1.0)]),
                isActive: false))),
        Event(
            metadata: EventMetadata(id: "evt-job-min", source: "s", type: .jobPosted, time: time),
            payload: .jobPosted(JobPosting(externalID: "j", title: "t", company: "c", salaryRange: SalaryRange()))),
        Event(
            metadata: EventMetadata(id: "evt-match", source: "ml/scorer", type: .matchComputed, time: time),
            payload: .matchComputed(MatchComputed(
                userID: ObjectIDHex(hex: "0123456789abcdef01234567")!, job: .id(ObjectIDHex(hex: "ffffffffffffffffffffffff")!),
                relevancyScore: 0.1 + 0.2, matchReason: "because",
                matchDetails: MatchDetails(skillsMatched: [], skillsMissing: ["Docker"], overallCompatibility: 0),
                userSnapshot: UserSnapshot(
                    preferencesAtMatch: ["b": 1, "a": [1.5, "x", .null, ["nested": true]]],
                    credentialsAtMatch: JSONObject()),
                isActive: true))),
        Event(
            metadata: EventMetadata(id: "evt-int", source: "web", type: .interactionRecorded, time: time),
            payload: .interactionRecorded(InteractionRecorded(
                userID: ObjectIDHex(hex: "0123456789abcdef01234567")!, job: .externalID("job-123"), interactionType: .withdrawn))),
    ]

    @Test(arguments: events)
    func encodedEventDecodesToTheSameEvent(event: Event) throws {
        #expect(try EventDecoder.decode(EventEncoder.encode(event)) == event)
    }

    @Test func envelopeHasTheContractsAttributes() throws {
        let envelope = try JSONParser.parse(EventEncoder.encode(Self.events[3]))
        #expect(envelope.objectValue?.keys == ["specversion", "id", "source", "type", "time", "datacontenttype", "data"])
        #expect(envelope["specversion"] == "1.0")
        #expect(envelope["time"] == "2026-11-24T10:15:00.123Z")
        #expect(envelope["data"] == [
            "user_id": "0123456789abcdef01234567", "job_external_id": "job-123", "interaction_type": "withdrawn",
        ])
    }

    @Test func absentOptionalsAreOmittedAndIsActiveIsExplicit() {
        let data = EventEncoder.data(of: Self.events[1].payload)
        #expect(data.keys == ["external_id", "title", "company", "salary_range", "is_active"])
        #expect(data["salary_range"] == .object(JSONObject()))
    }
}
