import JobHuntEvents

/// Events for tests, built as values and encoded with `EventEncoder`, so a test names only the
/// fields it is about.
public enum TestEvents {
    public static let userA = ObjectIDHex(hex: "64b7f0c2a1b2c3d4e5f60718")!
    public static let userB = ObjectIDHex(hex: "64b7f0c2a1b2c3d4e5f60719")!
    /// A job `_id`, for references by id.
    public static let jobID = ObjectIDHex(hex: "64b7f0c2a1b2c3d4e5f6ffff")!

    /// `text` (RFC 3339) as a timestamp.
    public static func time(_ text: String) -> Timestamp {
        guard let time = Timestamp(rfc3339: text) else { preconditionFailure("not an RFC 3339 time: \(text)") }
        return time
    }

    public static func jobPosted(
        id: String, time: String = "2026-01-01T00:00:00Z", externalID: String = "job-1", title: String = "Engineer",
        isActive: Bool = true
    ) -> Event {
        Event(
            metadata: EventMetadata(id: id, source: "test", type: .jobPosted, time: Self.time(time)),
            payload: .jobPosted(JobPosting(externalID: externalID, title: title, company: "Acme", isActive: isActive)))
    }

    public static func match(
        id: String, time: String = "2026-01-02T00:00:00Z", user: ObjectIDHex = userA, job: String = "job-1",
        score: Double = 0.8, skillsMissing: [String] = [], isActive: Bool = true
    ) -> Event {
        Event(
            metadata: EventMetadata(id: id, source: "ml", type: .matchComputed, time: Self.time(time)),
            payload: .matchComputed(MatchComputed(
                userID: user, job: .externalID(job), relevancyScore: score,
                matchDetails: MatchDetails(skillsMissing: skillsMissing), isActive: isActive)))
    }

    public static func interaction(
        id: String, time: String = "2026-01-01T00:00:00Z", user: ObjectIDHex = userA, job: String = "job-1",
        type: InteractionType
    ) -> Event {
        Event(
            metadata: EventMetadata(id: id, source: "app", type: .interactionRecorded, time: Self.time(time)),
            payload: .interactionRecorded(InteractionRecorded(userID: user, job: .externalID(job), interactionType: type)))
    }
}

extension Event {
    /// The message body a producer would send for this event.
    public var body: [UInt8] { EventEncoder.encode(self) }
}
