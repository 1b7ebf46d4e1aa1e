import JSON
import JobHuntEvents
import JobHuntTesting
import Testing

@Suite("MatchComputed data")
struct MatchComputedDecodingTests {
    private func match(_ data: String) throws -> MatchComputed {
        let event = try EventDecoder.decode(EnvelopeText(type: "MatchComputed", data: data).bytes)
        guard case .matchComputed(let match) = event.payload else {
            Issue.record("expected a MatchComputed payload")
            throw EventDecodingError(reason: .schemaInvalid, detail: "wrong payload")
        }
        return match
    }

    @Test func decodesEveryField() throws {
        let data = #"""
            {"user_id":"64b7f0c2a1b2c3d4e5f60718","job_id":"64B7F0C2A1B2C3D4E5F6FFFF","relevancy_score":0.87,
             "match_reason":"Strong ML alignment",
             "match_details":{"skills_matched":["Python","ML"],"skills_missing":["Docker"],"overall_compatibility":1},
             "user_snapshot":{"preferences_at_match":{"location":"Remote","salary":{"min":90000}},
                              "credentials_at_match":{"years_experience":3,"tags":[{"k":"v"}]}},
             "is_active":false}
            """#
        let expected = MatchComputed(
            userID: TestEvents.userA, job: .id(TestEvents.jobID), relevancyScore: 0.87,
            matchReason: "Strong ML alignment",
            matchDetails: MatchDetails(skillsMatched: ["Python", "ML"], skillsMissing: ["Docker"], overallCompatibility: 1.0),
            userSnapshot: UserSnapshot(
                preferencesAtMatch: ["location": "Remote", "salary": ["min": 90000]],
                credentialsAtMatch: ["years_experience": 3, "tags": [["k": "v"]]]),
            isActive: false)
        #expect(try match(data) == expected)
    }

    /// Hand-written: the encoder always writes `is_active`.
    @Test func requiredOnlyWithExternalJobReference() throws {
        let data = #"{"user_id":"64b7f0c2a1b2c3d4e5f60718","job_external_id":"job-123","relevancy_score":0.87}"#
        #expect(try match(data) == MatchComputed(userID: TestEvents.userA, job: .externalID("job-123"), relevancyScore: 0.87))
    }

    @Test(arguments: ["0", "1", "0.0", "1.0", "1e0"])
    func scoreBoundsAreInclusive(score: String) throws {
        let data = #"{"user_id":"\#(TestEvents.userA.hex)","job_external_id":"j","relevancy_score":\#(score)}"#
        #expect(try match(data).relevancyScore == Double(score))
    }

    @Test func nullJobIDWithExternalIDIsFine() throws {
        let data = #"{"user_id":"\#(TestEvents.userA.hex)","job_id":null,"job_external_id":"j","relevancy_score":0.5}"#
        #expect(try match(data).job == .externalID("j"))
    }

    private static let user = #""user_id":"64b7f0c2a1b2c3d4e5f60718""#

    @Test(arguments: [
        (#"{"job_external_id":"j","relevancy_score":0.5}"#, "data.user_id is required"),
        (#"{"user_id":"64b7f0c2a1b2c3d4e5f6071","job_external_id":"j","relevancy_score":0.5}"#, "data.user_id must be a 24-digit hex ObjectId"),
        (#"{"user_id":"64b7f0c2a1b2c3d4e5f6071g","job_external_id":"j","relevancy_score":0.5}"#, "data.user_id must be a 24-digit hex ObjectId"),
        (#"{"user_id":{"oid":"64b7f0c2a1b2c3d4e5f60718"},"job_external_id":"j","relevancy_score":0.5}"#, "data.user_id must be a 24-digit hex ObjectId"),
        (#"{"user_id":{"$oid":"64b7f0c2a1b2c3d4e5f60718"},"job_external_id":"j","relevancy_score":0.5}"#, "data.user_id has an object key that starts with '$'"),
        ("{\(user),\"relevancy_score\":0.5}", "exactly one of data.job_id and data.job_external_id is required"),
        ("{\(user),\"job_id\":\"\(TestEvents.jobID.hex)\",\"job_external_id\":\"j\",\"relevancy_score\":0.5}", "exactly one of data.job_id and data.job_external_id is required"),
        ("{\(user),\"job_id\":\"nope\",\"relevancy_score\":0.5}", "data.job_id must be a 24-digit hex ObjectId"),
        ("{\(user),\"job_external_id\":\"\",\"relevancy_score\":0.5}", "data.job_external_id must not be empty"),
        ("{\(user),\"job_external_id\":7,\"relevancy_score\":0.5}", "data.job_external_id must be a string"),
        ("{\(user),\"job_external_id\":\"j\"}", "data.relevancy_score is required"),
        ("{\(user),\"job_external_id\":\"j\",\"relevancy_score\":\"0.5\"}", "data.relevancy_score must be a number"),
        ("{\(user),\"job_external_id\":\"j\",\"relevancy_score\":1.0000001}", "data.relevancy_score must be between 0 and 1"),
        ("{\(user),\"job_external_id\":\"j\",\"relevancy_score\":-0.1}", "data.relevancy_score must be between 0 and 1"),
        ("{\(user),\"job_external_id\":\"j\",\"relevancy_score\":2}", "data.relevancy_score must be between 0 and 1"),
        ("{\(user),\"job_external_id\":\"j\",\"relevancy_score\":0.5,\"match_reason\":[]}", "data.match_reason must be a string"),
        ("{\(user),\"job_external_id\":\"j\",\"relevancy_score\":0.5,\"match_details\":\"good\"}", "data.match_details must be an object"),
        ("{\(user),\"job_external_id\":\"j\",\"relevancy_score\":0.5,\"match_details\":{\"overall_compatibility\":1.5}}", "data.match_details.overall_compatibility must be between 0 and 1"),
        ("{\(user),\"job_external_id\":\"j\",\"relevancy_score\":0.5,\"match_details\":{\"skills_missing\":[null]}}", "data.match_details.skills_missing[0] must be a string"),
        ("{\(user),\"job_external_id\":\"j\",\"relevancy_score\":0.5,\"user_snapshot\":{\"preferences_at_match\":\"remote\"}}", "data.user_snapshot.preferences_at_match must be an object"),
        ("{\(user),\"job_external_id\":\"j\",\"relevancy_score\":0.5,\"user_snapshot\":[]}", "data.user_snapshot must be an object"),
        ("{\(user),\"job_external_id\":\"j\",\"relevancy_score\":0.5,\"is_active\":\"yes\"}", "data.is_active must be a boolean"),
    ])
    func invalidDataIsSchemaInvalid(data: String, detail: String) {
        #expect(summary(dataError(data, type: "MatchComputed")) == "schema_invalid: \(detail)")
    }
}
