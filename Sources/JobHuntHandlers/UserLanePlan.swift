import JobHuntEvents

/// A match to store: inserted when `replacing` is nil, else replacing exactly that stored match.
public struct MatchWriteOperation: Sendable, Hashable {
    public let key: MatchKey
    public let match: MatchComputed
    public let version: EventVersion
    public let replacing: StoredMatch?
}

/// An interaction to insert.
public struct InteractionInsert: Sendable, Hashable {
    public let key: InteractionKey
    public let version: EventVersion
}

/// The writes of a batch of matches and interactions, the outcome of each event and the stats
/// they change, decided from one snapshot: every rule of these effects is here.
///
/// Events of one key apply in order against the state the earlier ones left, so the plan holds
/// at most one write per key (the last) and the batch has the outcomes of handling its events
/// one by one. Stats change only by what the writes change: an inserted `viewed` or `saved`
/// interaction adds one; a match write replaces its old counted skills with its new ones.
public struct UserLanePlan: Sendable {
    public var outcomes: [HandlingOutcome] = []
    public var matches: [MatchWriteOperation] = []
    public var interactions: [InteractionInsert] = []
    /// The new counts of every user whose stats document is to be written.
    public var stats: [ObjectIDHex: StatsCounts] = [:]

    /// The keys `events` read.
    public static func request(for events: [Event]) -> UserLaneRequest {
        var request = UserLaneRequest()
        for event in events {
            switch event.payload {
            case .jobPosted:
                continue
            case .matchComputed(let match):
                request.users.insert(match.userID)
                request.jobs.insert(match.job)
                request.matches.insert(UserJobReference(user: match.userID, job: match.job))
            case .interactionRecorded(let interaction):
                request.users.insert(interaction.userID)
                request.jobs.insert(interaction.job)
                request.interactions[UserJobReference(user: interaction.userID, job: interaction.job), default: []]
                    .insert(interaction.interactionType)
            }
        }
        return request
    }

    /// The plan of `events` (matches and interactions; any JobPosted among them is left
    /// without an outcome of its own) over `snapshot`.
    public init(_ events: [Event], over snapshot: UserLaneSnapshot) {
        var matches: [MatchKey: StoredMatch] = [:]
        var matchWrites: [MatchKey: MatchWriteOperation] = [:]
        var matchOrder: [MatchKey] = []
        var interactions: [InteractionKey: String?] = [:]
        var changes: [ObjectIDHex: StatsChange] = [:]

        for event in events {
            let version = EventVersion(of: event.metadata)
            switch event.payload {
            case .jobPosted:
                outcomes.append(.rejected(.constraintViolation, detail: "a JobPosted event in the user lane"))
            case .matchComputed(let match):
                guard let job = Self.resolve(match.userID, match.job, in: snapshot, outcome: &outcomes) else { continue }
                let key = MatchKey(user: match.userID, job: job)
                let current = matches[key] ?? snapshot.matches[key]
                let decision = VersionDecision(version, over: current?.version)
                outcomes.append(decision.outcome)
                guard decision == .write else { continue }
                let stored = StoredMatch(match, version: version)
                changes[match.userID, default: StatsChange()].replaceMatchSkills(current?.countedSkills ?? [], with: stored.countedSkills)
                matches[key] = stored
                if matchWrites[key] == nil { matchOrder.append(key) }
                matchWrites[key] = MatchWriteOperation(key: key, match: match, version: version, replacing: snapshot.matches[key])
            case .interactionRecorded(let interaction):
                guard let job = Self.resolve(interaction.userID, interaction.job, in: snapshot, outcome: &outcomes) else { continue }
                let key = InteractionKey(user: interaction.userID, job: job, type: interaction.interactionType)
                if let recordedBy = interactions[key] ?? snapshot.interactions[key] {
                    outcomes.append(Self.outcome(of: interaction, alreadyRecordedBy: recordedBy, version: version))
                    continue
                }
                interactions[key] = .some(version.eventID)
                self.interactions.append(InteractionInsert(key: key, version: version))
                outcomes.append(.applied)
                switch interaction.interactionType {
                case .viewed: changes[interaction.userID, default: StatsChange()].jobsViewed += 1
                case .saved: changes[interaction.userID, default: StatsChange()].jobsSaved += 1
                default: break
                }
            }
        }
        self.matches = matchOrder.map { matchWrites[$0]! }
        for (user, stored) in snapshot.stats {
            let change = changes[user] ?? StatsChange()
            if !change.isEmpty || !stored.isKept { stats[user] = stored.counts.applying(change) }
        }
    }

    /// The job's `_id` once the user and the job both exist; otherwise appends `retryLater`.
    private static func resolve(
        _ user: ObjectIDHex, _ job: JobReference, in snapshot: UserLaneSnapshot, outcome outcomes: inout [HandlingOutcome]
    ) -> ObjectIDHex? {
        guard snapshot.users.contains(user) else {
            outcomes.append(.retryLater(detail: "user \(user.hex) does not exist"))
            return nil
        }
        guard let id = snapshot.jobIDs[job] else {
            outcomes.append(.retryLater(detail: "job (\(job.label)) does not exist"))
            return nil
        }
        return id
    }

    /// The same event again changes nothing; another event with the same key is a duplicate.
    private static func outcome(of interaction: InteractionRecorded, alreadyRecordedBy eventID: String?, version: EventVersion) -> HandlingOutcome {
        if eventID == version.eventID { return .unchanged(.duplicateEvent) }
        return .rejected(.duplicateInteraction, detail: "user \(interaction.userID.hex) already has a \(interaction.interactionType.rawValue) interaction with this job"
            + (eventID.map { " (event \($0))" } ?? ""))
    }
}

extension JobReference {
    /// `job_id <hex>` or `job_external_id <id>`, for messages.
    var label: String {
        switch self {
        case .id(let id): return "job_id \(id.hex)"
        case .externalID(let externalID): return "job_external_id \(externalID)"
        }
    }
}
