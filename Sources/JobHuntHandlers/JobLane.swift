import JobHuntEvents

/// What the job lane's plan needs: the version each posting of the batch records, by
/// external id (absent: not stored; nil: stored without a readable version).
public struct JobSnapshot: Sendable {
    public var versions: [String: EventVersion?]

    public init(versions: [String: EventVersion?] = [:]) {
        self.versions = versions
    }
}

/// One write of the job lane: the posting's full state, replacing what `replacing` records
/// (`.none`: insert; `.some(nil)`: a stored posting without a version).
public struct JobWriteOperation: Sendable, Hashable {
    public let job: JobPosting
    public let version: EventVersion
    public let replacing: EventVersion??

    /// Whether the posting is stored already.
    public var isReplacement: Bool { replacing != nil }
}

/// The writes of a batch of JobPosted events and the outcome of each event, decided from a
/// snapshot: at most one write per posting, the newest version of the batch.
public struct JobPlan: Sendable {
    public var outcomes: [HandlingOutcome]
    public var writes: [JobWriteOperation]
    /// For each write, the positions of the events it carries out.
    public var eventsOfWrite: [[Int]]

    /// The plan for `jobs` (in order, with their versions) over `snapshot`.
    public init(_ jobs: [(job: JobPosting, version: EventVersion)], over snapshot: JobSnapshot) {
        var outcomes: [HandlingOutcome] = []
        var latest: [String: (job: JobPosting, version: EventVersion, events: [Int])] = [:]
        var order: [String] = []
        for (position, (job, version)) in jobs.enumerated() {
            let key = job.externalID
            let current: EventVersion? = latest[key]?.version ?? snapshot.versions[key] ?? nil
            let decision = VersionDecision(version, over: current)
            outcomes.append(decision.outcome)
            guard decision == .write else { continue }
            if latest[key] == nil { order.append(key) }
            latest[key] = (job, version, (latest[key]?.events ?? []) + [position])
        }
        self.outcomes = outcomes
        self.writes = order.map { key in
            let final = latest[key]!
            return JobWriteOperation(job: final.job, version: final.version, replacing: snapshot.versions[key])
        }
        self.eventsOfWrite = order.map { latest[$0]!.events }
    }
}
