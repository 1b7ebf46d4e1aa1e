import JobHuntEvents

/// The keys a batch of matches and interactions reads: exactly its own, never a user's history.
public struct UserLaneRequest: Sendable, Hashable {
    /// The users the events name.
    public var users: Set<ObjectIDHex> = []
    /// The jobs the events name.
    public var jobs: Set<JobReference> = []
    /// The (user, job) of every match.
    public var matches: Set<UserJobReference> = []
    /// The (user, job) of every interaction, with the types it needs.
    public var interactions: [UserJobReference: Set<InteractionType>] = [:]

    public init() {}
}

/// A stored match as far as the plan needs it.
public struct StoredMatch: Sendable, Hashable {
    /// The version it records; nil when it has none that can be read.
    public var version: EventVersion?
    /// The skills it counts towards the user's top missing skill: its missing skills when it is
    /// active, none otherwise.
    public var countedSkills: Set<String>

    public init(version: EventVersion?, countedSkills: Set<String>) {
        self.version = version
        self.countedSkills = countedSkills
    }

    /// The match as `match` at `version` stores it.
    init(_ match: MatchComputed, version: EventVersion) {
        self.init(version: version, countedSkills: match.isActive ? Set(match.matchDetails?.skillsMissing ?? []) : [])
    }
}

/// A user's stats counts as the plan starts from.
public struct StoredStats: Sendable, Hashable {
    /// The counts.
    public var counts: StatsCounts
    /// Whether they come from the worker's stats document; false when the storage computed
    /// them from the sources (no document, or one another writer made without the counts), in
    /// which case the plan writes them even when the batch changes nothing.
    public var isKept: Bool

    public init(counts: StatsCounts, isKept: Bool) {
        self.counts = counts
        self.isKept = isKept
    }
}

/// What a `UserLaneRequest` found, read in one snapshot.
public struct UserLaneSnapshot: Sendable {
    /// The requested users that exist.
    public var users: Set<ObjectIDHex>
    /// The `_id` of each requested job that exists.
    public var jobIDs: [JobReference: ObjectIDHex]
    /// The stored matches among the requested ones.
    public var matches: [MatchKey: StoredMatch]
    /// The stored interactions among the requested ones, with the event that recorded each
    /// (nil when another writer stored it without one).
    public var interactions: [InteractionKey: String?]
    /// The stats of every requested user that exists.
    public var stats: [ObjectIDHex: StoredStats]

    public init(
        users: Set<ObjectIDHex> = [], jobIDs: [JobReference: ObjectIDHex] = [:], matches: [MatchKey: StoredMatch] = [:],
        interactions: [InteractionKey: String?] = [:], stats: [ObjectIDHex: StoredStats] = [:]
    ) {
        self.users = users
        self.jobIDs = jobIDs
        self.matches = matches
        self.interactions = interactions
        self.stats = stats
    }
}
