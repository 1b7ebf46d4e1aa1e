import JSON

/// How a user's skills compare with a job's.
public struct MatchDetails: Sendable, Hashable {
    /// Skills the user has that the job asks for.
    public var skillsMatched: [String]?
    /// Skills the job asks for that the user lacks.
    public var skillsMissing: [String]?
    /// An overall score in 0...1.
    public var overallCompatibility: Double?

    /// Details with the given parts.
    public init(skillsMatched: [String]? = nil, skillsMissing: [String]? = nil, overallCompatibility: Double? = nil) {
        self.skillsMatched = skillsMatched
        self.skillsMissing = skillsMissing
        self.overallCompatibility = overallCompatibility
    }
}

/// What the user looked like when the match was computed: free-form objects, stored as given
/// (their keys are checked like every key in `data`).
public struct UserSnapshot: Sendable, Hashable {
    /// The user's preferences at match time.
    public var preferencesAtMatch: JSONObject?
    /// The user's credentials at match time.
    public var credentialsAtMatch: JSONObject?

    /// A snapshot with the given parts.
    public init(preferencesAtMatch: JSONObject? = nil, credentialsAtMatch: JSONObject? = nil) {
        self.preferencesAtMatch = preferencesAtMatch
        self.credentialsAtMatch = credentialsAtMatch
    }
}

/// The data of a `MatchComputed` event: one job scored for one user (contract §5).
public struct MatchComputed: Sendable, Hashable {
    /// The user.
    public var userID: ObjectIDHex
    /// The job.
    public var job: JobReference
    /// The score in 0...1.
    public var relevancyScore: Double
    /// Why the job matched.
    public var matchReason: String?
    /// Skill comparison.
    public var matchDetails: MatchDetails?
    /// The user's state at match time.
    public var userSnapshot: UserSnapshot?
    /// False when the match was withdrawn. Defaults to true.
    public var isActive: Bool

    /// A match with the given fields (not validated; `EventDecoder` is the gate).
    public init(
        userID: ObjectIDHex, job: JobReference, relevancyScore: Double,
        matchReason: String? = nil, matchDetails: MatchDetails? = nil,
        userSnapshot: UserSnapshot? = nil, isActive: Bool = true
    ) {
        self.userID = userID
        self.job = job
        self.relevancyScore = relevancyScore
        self.matchReason = matchReason
        self.matchDetails = matchDetails
        self.userSnapshot = userSnapshot
        self.isActive = isActive
    }
}
