import JSON
import JobHuntEvents

/// Events with every field of the contract filled in, as producers send them: what the
/// integration tests publish, so that every field's way into MongoDB (and its BSON type) is
/// exercised. The seed values below are what those tests find in the database.
extension TestEvents {
    /// A JobPosted from the scraper with every optional field.
    public static func fullJobPosted(
        id: String, time: String, externalID: String, title: String = "Research Scientist", isActive: Bool = true
    ) -> Event {
        Event(
            metadata: EventMetadata(id: id, source: "scraper/test", type: .jobPosted, time: Self.time(time)),
            payload: .jobPosted(JobPosting(
                externalID: externalID, title: title, company: "OpenAI Labs", description: "Research.",
                location: "San Francisco", remoteType: .hybrid, skillsRequired: ["Statistics", "Python"],
                postedDate: Self.time("2026-11-24T09:00:00.250Z"),
                sourceURL: "https://example.com/job/123", sourcePlatform: "LinkedIn",
                salaryRange: SalaryRange(min: .integer(140_000), max: .double(200_000.5), currency: "USD"),
                mlFeatures: MLFeatures(processedText: "research python", keywordVector: [.double(0.1), .double(0.5), .integer(1)]),
                isActive: isActive)))
    }

    /// A MatchComputed from the scoring service with every optional field.
    public static func fullMatch(
        id: String, time: String, user: ObjectIDHex, job: JobReference,
        score: Double = 0.87, skillsMissing: [String] = ["Docker"], isActive: Bool = true
    ) -> Event {
        Event(
            metadata: EventMetadata(id: id, source: "ml/scoring", type: .matchComputed, time: Self.time(time)),
            payload: .matchComputed(MatchComputed(
                userID: user, job: job, relevancyScore: score, matchReason: "Strong ML alignment",
                matchDetails: MatchDetails(skillsMatched: ["Python", "ML"], skillsMissing: skillsMissing, overallCompatibility: 0.9),
                userSnapshot: UserSnapshot(
                    preferencesAtMatch: ["location": "Remote", "roles": ["ML"]],
                    credentialsAtMatch: ["years_experience": 3]),
                isActive: isActive)))
    }
}
