import JobHuntEvents
import Testing

@Suite("InteractionRecorded data")
struct InteractionRecordedDecodingTests {
    @Test(arguments: InteractionType.allCases)
    func decodesEveryInteractionType(type: InteractionType) throws {
        let data = #"{"user_id":"\#(Fixtures.userHex)","job_external_id":"job-9","interaction_type":"\#(type.rawValue)","extra":1}"#
        let event = try EventDecoder.decode(EnvelopeText(type: "InteractionRecorded", data: data).bytes)
        #expect(event.payload == .interactionRecorded(
            InteractionRecorded(userID: Fixtures.user, job: .externalID("job-9"), interactionType: type)))
    }

    @Test func decodesJobIDReference() throws {
        let event = try EventDecoder.decode(EnvelopeText(type: "InteractionRecorded", data: Fixtures.interactionData).bytes)
        #expect(event.payload == .interactionRecorded(
            InteractionRecorded(userID: Fixtures.user, job: .id(Fixtures.job), interactionType: .saved)))
    }

    private static let user = #""user_id":"64b7f0c2a1b2c3d4e5f60718""#

    @Test(arguments: [
        (#"{"job_external_id":"j","interaction_type":"viewed"}"#, "data.user_id is required"),
        ("{\(user),\"interaction_type\":\"viewed\"}", "exactly one of data.job_id and data.job_external_id is required"),
        ("{\(user),\"job_id\":\"\(Fixtures.jobHex)\",\"job_external_id\":\"j\",\"interaction_type\":\"viewed\"}", "exactly one of data.job_id and data.job_external_id is required"),
        ("{\(user),\"job_external_id\":\"j\"}", "data.interaction_type is required"),
        ("{\(user),\"job_external_id\":\"j\",\"interaction_type\":null}", "data.interaction_type is required"),
        ("{\(user),\"job_external_id\":\"j\",\"interaction_type\":\"liked\"}", "data.interaction_type must be one of viewed, saved, applied, rejected, withdrawn"),
        ("{\(user),\"job_external_id\":\"j\",\"interaction_type\":\"Viewed\"}", "data.interaction_type must be one of viewed, saved, applied, rejected, withdrawn"),
        ("{\(user),\"job_external_id\":\"j\",\"interaction_type\":{\"t\":\"viewed\"}}", "data.interaction_type must be one of viewed, saved, applied, rejected, withdrawn"),
    ])
    func invalidDataIsSchemaInvalid(data: String, detail: String) {
        #expect(summary(dataError(data, type: "InteractionRecorded")) == "schema_invalid: \(detail)")
    }
}
