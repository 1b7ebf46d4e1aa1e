import JobHuntEvents

/// Builds the messages of a `Workload`.
struct WorkloadGenerator {
    let spec: WorkloadSpec
    let userIDs: [ObjectIDHex]
    private var random: SplitMix64
    private let baseTime: Int64 = 1_795_000_000_000  // 2026-11-18, milliseconds
    private var postedJobs: [Int] = []
    private var usedInteractionKeys = Set<InteractionKey>()

    private struct InteractionKey: Hashable { let user: Int, job: Int, type: InteractionType }

    init(spec: WorkloadSpec) {
        self.spec = spec
        self.random = SplitMix64(seed: spec.seed)
        self.userIDs = (0..<spec.users).map { Self.objectID(UInt32($0), tag: 0x55) }
    }

    mutating func messages() -> [Workload.Message] {
        var messages: [Workload.Message] = []
        messages.reserveCapacity(spec.events)
        var serial = 0
        while messages.count < spec.events {
            serial += 1
            let roll = Double.random(in: 0..<1, using: &random)
            if roll < spec.duplicateShare, let earlier = messages.randomElement(using: &random) {
                messages.append(earlier)
            } else if roll < spec.duplicateShare + spec.invalidShare {
                messages.append(invalidMessage(serial))
            } else {
                messages.append(message(for: validEvent(serial)))
            }
        }
        return messages
    }

    private func message(for event: Event) -> Workload.Message {
        Workload.Message(body: EventEncoder.encode(event), routingKey: event.metadata.type.routingKey, event: event)
    }

    private mutating func validEvent(_ serial: Int) -> Event {
        let roll = Double.random(in: 0..<1, using: &random)
        if postedJobs.isEmpty || roll < spec.jobPostedShare { return jobPosted(serial) }
        if roll < spec.jobPostedShare + spec.matchShare { return matchComputed(serial) }
        return interactionRecorded(serial) ?? matchComputed(serial)
    }

    private mutating func metadata(_ serial: Int, _ type: EventType) -> EventMetadata {
        // Times jitter so that later messages are sometimes older versions.
        let time = baseTime + Int64(serial) * 10 - Int64.random(in: 0..<5_000, using: &random)
        return EventMetadata(id: "ev-\(spec.seed)-\(serial)", source: "workload", type: type, time: Timestamp(millisecondsSinceEpoch: time))
    }

    private mutating func jobPosted(_ serial: Int) -> Event {
        let job = Int.random(in: 0..<spec.jobs, using: &random)
        postedJobs.append(job)
        let skills = (0..<3).map { _ in Self.skills.randomElement(using: &random)! }
        let low = Int64.random(in: 50..<150, using: &random) * 1000
        let posting = JobPosting(
            externalID: "job-\(job)", title: Self.titles.randomElement(using: &random)!, company: "Company \(job % 997)",
            description: "Generated posting \(serial).", location: "City \(job % 50)",
            remoteType: RemoteType.allCases.randomElement(using: &random), skillsRequired: skills,
            postedDate: Timestamp(millisecondsSinceEpoch: baseTime - 86_400_000), sourcePlatform: "workload",
            salaryRange: SalaryRange(min: .integer(low), max: .integer(low + 40_000), currency: "USD"),
            isActive: Int.random(in: 0..<20, using: &random) != 0)
        return Event(metadata: metadata(serial, .jobPosted), payload: .jobPosted(posting))
    }

    private mutating func matchComputed(_ serial: Int) -> Event {
        let user = userIDs.randomElement(using: &random)!
        let job = postedJobs.randomElement(using: &random)!
        let missing = (0..<Int.random(in: 0...3, using: &random)).map { _ in Self.skills.randomElement(using: &random)! }
        let match = MatchComputed(
            userID: user, job: .externalID("job-\(job)"),
            relevancyScore: Double(Int.random(in: 0...1000, using: &random)) / 1000,
            matchReason: "generated", matchDetails: MatchDetails(skillsMatched: ["Python"], skillsMissing: missing, overallCompatibility: 0.5),
            isActive: Int.random(in: 0..<10, using: &random) != 0)
        return Event(metadata: metadata(serial, .matchComputed), payload: .matchComputed(match))
    }

    private mutating func interactionRecorded(_ serial: Int) -> Event? {
        for _ in 0..<8 {
            let user = Int.random(in: 0..<userIDs.count, using: &random)
            let job = postedJobs.randomElement(using: &random)!
            let type = InteractionType.allCases.randomElement(using: &random)!
            guard usedInteractionKeys.insert(InteractionKey(user: user, job: job, type: type)).inserted else { continue }
            let interaction = InteractionRecorded(userID: userIDs[user], job: .externalID("job-\(job)"), interactionType: type)
            return Event(metadata: metadata(serial, .interactionRecorded), payload: .interactionRecorded(interaction))
        }
        return nil
    }

    private mutating func invalidMessage(_ serial: Int) -> Workload.Message {
        let id = "bad-\(spec.seed)-\(serial)"
        let bodies = [
            #"{"specversion":"1.0","id":"\#(id)","source":"w","type":"JobPosted","time":"2026-11-24T10:00:00Z","data":{"title":"no external id","company":"c"}}"#,
            #"{"specversion":"1.0","id":"\#(id)","source":"w","type":"MatchComputed","time":"2026-11-24T10:00:00Z","data":{"user_id":"nope","job_external_id":"j","relevancy_score":2}}"#,
            #"{"specversion":"1.0","id":"\#(id)","source":"w","type":"InteractionRecorded","time":"not a time","data":{}}"#,
            "{\"truncated\": ",
        ]
        let routingKeys = [EventType.jobPosted, .matchComputed, .interactionRecorded, .jobPosted].map(\.routingKey)
        let pick = Int.random(in: 0..<bodies.count, using: &random)
        return Workload.Message(body: Array(bodies[pick].utf8), routingKey: routingKeys[pick], event: nil)
    }

    static func objectID(_ number: UInt32, tag: UInt8) -> ObjectIDHex {
        ObjectIDHex(bytes: [0x65, 0x00, 0x00, 0x00, tag, 0, 0, 0] + withUnsafeBytes(of: number.bigEndian, Array.init))!
    }

    static let skills = ["Python", "Go", "Rust", "Docker", "Kubernetes", "SQL", "Spark", "PyTorch", "AWS", "Terraform", "Node.js", "C++"]
    static let titles = ["ML Engineer", "Data Scientist", "Backend Engineer", "Research Scientist", "Data Analyst", "SRE"]
}
