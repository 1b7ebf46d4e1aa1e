import JSON
import JobHuntEvents
import Testing

@Suite("JobPosted data")
struct JobPostedDecodingTests {
    static let fullData = #"""
        {"external_id":"job-123","title":"Research Scientist","company":"OpenAI Labs",
         "description":"Work on research.","location":"San Francisco","remote_type":"hybrid",
         "skills_required":["Statistics","Python"],"posted_date":"2026-11-20T08:00:00.5+01:00",
         "source_url":"https://example.com/job/123","source_platform":"LinkedIn",
         "salary_range":{"min":140000,"max":200000.5,"currency":"USD"},
         "ml_features":{"processed_text":"research scientist","keyword_vector":[0.1,0.5,1]},
         "is_active":false,"unknown_field":{"ignored":true}}
        """#

    private func posting(_ data: String) throws -> JobPosting {
        let event = try EventDecoder.decode(EnvelopeText(type: "JobPosted", data: data).bytes)
        guard case .jobPosted(let posting) = event.payload else {
            Issue.record("expected a JobPosted payload")
            throw EventDecodingError(reason: .schemaInvalid, detail: "wrong payload")
        }
        return posting
    }

    @Test func decodesEveryField() throws {
        let expected = JobPosting(
            externalID: "job-123", title: "Research Scientist", company: "OpenAI Labs",
            description: "Work on research.", location: "San Francisco", remoteType: .hybrid,
            skillsRequired: ["Statistics", "Python"],
            postedDate: Timestamp(rfc3339: "2026-11-20T07:00:00.500Z"),
            sourceURL: "https://example.com/job/123", sourcePlatform: "LinkedIn",
            salaryRange: SalaryRange(min: .integer(140_000), max: .double(200_000.5), currency: "USD"),
            mlFeatures: MLFeatures(processedText: "research scientist", keywordVector: [.double(0.1), .double(0.5), .integer(1)]),
            isActive: false)
        #expect(try posting(Self.fullData) == expected)
    }

    /// Hand-written: the encoder always writes `is_active`.
    @Test func requiredOnlyDefaultsIsActiveToTrue() throws {
        let data = #"{"external_id":"job-123","title":"Research Scientist","company":"OpenAI Labs"}"#
        #expect(try posting(data) == JobPosting(externalID: "job-123", title: "Research Scientist", company: "OpenAI Labs"))
    }

    @Test func nullOptionalFieldsAreAbsent() throws {
        let data = #"{"external_id":"j","title":"t","company":"c","description":null,"remote_type":null,"salary_range":null,"is_active":null,"skills_required":null}"#
        #expect(try posting(data) == JobPosting(externalID: "j", title: "t", company: "c"))
    }

    @Test func emptySalaryRangeAndMLFeaturesAreKeptEmpty() throws {
        let data = #"{"external_id":"j","title":"t","company":"c","salary_range":{},"ml_features":{}}"#
        let decoded = try posting(data)
        #expect(decoded.salaryRange == SalaryRange())
        #expect(decoded.mlFeatures == MLFeatures())
    }

    @Test func equalSalaryBoundsAreAccepted() throws {
        let data = #"{"external_id":"j","title":"t","company":"c","salary_range":{"min":100.0,"max":100}}"#
        #expect(try posting(data).salaryRange == SalaryRange(min: .double(100), max: .integer(100)))
    }

    @Test(arguments: [
        (#"{"title":"t","company":"c"}"#, "data.external_id is required"),
        (#"{"external_id":null,"title":"t","company":"c"}"#, "data.external_id is required"),
        (#"{"external_id":"j","company":"c"}"#, "data.title is required"),
        (#"{"external_id":"j","title":"t"}"#, "data.company is required"),
        (#"{"external_id":"","title":"t","company":"c"}"#, "data.external_id must not be empty"),
        (#"{"external_id":"j","title":"","company":"c"}"#, "data.title must not be empty"),
        (#"{"external_id":42,"title":"t","company":"c"}"#, "data.external_id must be a string"),
        (#"{"external_id":"j","title":["t"],"company":"c"}"#, "data.title must be a string"),
        (#"{"external_id":"j","title":"t","company":{"name":"c"}}"#, "data.company must be a string"),
        (#"{"external_id":"j","title":"t","company":"c","description":{"a":1}}"#, "data.description must be a string"),
        (#"{"external_id":"j","title":"t","company":"c","remote_type":"office"}"#, "data.remote_type must be one of onsite, hybrid, remote"),
        (#"{"external_id":"j","title":"t","company":"c","remote_type":1}"#, "data.remote_type must be one of onsite, hybrid, remote"),
        (#"{"external_id":"j","title":"t","company":"c","skills_required":"Python"}"#, "data.skills_required must be an array of strings"),
        (#"{"external_id":"j","title":"t","company":"c","skills_required":["a",1]}"#, "data.skills_required[1] must be a string"),
        (#"{"external_id":"j","title":"t","company":"c","skills_required":["a",{"b":1}]}"#, "data.skills_required[1] must be a string"),
        (#"{"external_id":"j","title":"t","company":"c","skills_required":[""]}"#, "data.skills_required[0] must not be empty"),
        (#"{"external_id":"j","title":"t","company":"c","posted_date":"yesterday"}"#, "data.posted_date must be an RFC 3339 date-time"),
        (#"{"external_id":"j","title":"t","company":"c","posted_date":1700000000}"#, "data.posted_date must be an RFC 3339 date-time"),
        (#"{"external_id":"j","title":"t","company":"c","salary_range":[1,2]}"#, "data.salary_range must be an object"),
        (#"{"external_id":"j","title":"t","company":"c","salary_range":{"min":"100"}}"#, "data.salary_range.min must be a number"),
        (#"{"external_id":"j","title":"t","company":"c","salary_range":{"max":{"v":1}}}"#, "data.salary_range.max must be a number"),
        (#"{"external_id":"j","title":"t","company":"c","salary_range":{"min":-1}}"#, "data.salary_range.min must not be negative"),
        (#"{"external_id":"j","title":"t","company":"c","salary_range":{"min":200,"max":100}}"#, "data.salary_range.max must be >= data.salary_range.min"),
        (#"{"external_id":"j","title":"t","company":"c","salary_range":{"min":100.5,"max":100}}"#, "data.salary_range.max must be >= data.salary_range.min"),
        (#"{"external_id":"j","title":"t","company":"c","salary_range":{"currency":""}}"#, "data.salary_range.currency must not be empty"),
        (#"{"external_id":"j","title":"t","company":"c","ml_features":{"keyword_vector":[1,"x"]}}"#, "data.ml_features.keyword_vector must contain only numbers"),
        (#"{"external_id":"j","title":"t","company":"c","ml_features":{"keyword_vector":0.5}}"#, "data.ml_features.keyword_vector must be an array of numbers"),
        (#"{"external_id":"j","title":"t","company":"c","ml_features":{"processed_text":5}}"#, "data.ml_features.processed_text must be a string"),
        (#"{"external_id":"j","title":"t","company":"c","is_active":"false"}"#, "data.is_active must be a boolean"),
        (#"{"external_id":"j","title":"t","company":"c","is_active":0}"#, "data.is_active must be a boolean"),
    ])
    func invalidDataIsSchemaInvalid(data: String, detail: String) {
        #expect(summary(dataError(data, type: "JobPosted")) == "schema_invalid: \(detail)")
    }

    @Test func lengthLimitsAreEnforced() {
        let longID = String(repeating: "x", count: 257)
        #expect(summary(dataError(#"{"external_id":"\#(longID)","title":"t","company":"c"}"#, type: "JobPosted"))
            == "schema_invalid: data.external_id must have at most 256 characters")
        let tooManySkills = "[" + Array(repeating: "\"s\"", count: 1001).joined(separator: ",") + "]"
        #expect(summary(dataError(#"{"external_id":"j","title":"t","company":"c","skills_required":\#(tooManySkills)}"#, type: "JobPosted"))
            == "schema_invalid: data.skills_required must have at most 1000 entries")
    }
}
