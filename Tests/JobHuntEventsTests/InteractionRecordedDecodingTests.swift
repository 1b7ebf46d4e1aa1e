import JobHuntEvents
import JobHuntTesting
import Testing

@Suite("InteractionRecorded data")
struct InteractionRecordedDecodingTests {
    @Test(arguments: InteractionType.allCases)
    func decodesEveryInteractionType(type: InteractionType) throws {
        let data = #"{"user_id":"\#(TestEvents.userA.hex)","job_external_id":"job-9","interaction_type":"\#(type.rawValue)","extra":1}"#
        let event = try EventDecoder.decode(EnvelopeText(type: "InteractionRecorded", data: data).bytes)
        #expect(event.payload == .interactionRecorded(
            InteractionRecorded(userID: TestEvents.userA, job: .externalID("job-9"), interactionType: type)))
    }

    /// The `_id` in upper-case hex, as a producer may write it (the encoder writes lower case).
    @Test func decodesJobIDReference() throws {
        let data = #"{"user_id":"64b7f0c2a1b2c3d4e5f60718","job_id":"64B7F0C2A1B2C3D4E5F6FFFF","interaction_type":"saved"}"#
        let event = try EventDecoder.decode(EnvelopeText(type: "InteractionRecorded", data: data).bytes)
        #expect(event.payload == .interactionRecorded(
            InteractionRecorded(userID: TestEvents.userA, job: .id(TestEvents.jobID), interactionType: .saved)))
    }

    private static let user = #""user_id":"64b7f0c2a1b2c3d4e5f60718""#

    @Test(arguments: [
        (#"{"job_external_id":"j","interaction_type":"viewed"}"#, "data.user_id is required"),
        ("{\(user),\"interaction_type\":\"viewed\"}", "exactly one of data.job_id and data.job_external_id is required"),
        ("{\(user),\"job_id\":\"\(TestEvents.jobID.hex)\",\"job_external_id\":\"j\",\"interaction_type\":\"viewed\"}", "exactly one of data.job_id and data.job_external_id is required"),
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
