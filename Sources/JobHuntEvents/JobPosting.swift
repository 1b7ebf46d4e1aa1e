/// How a job is worked.
public enum RemoteType: String, Sendable, Hashable, CaseIterable {
    /// At the employer's site.
    case onsite
    /// Partly remote.
    case hybrid
    /// Fully remote.
    case remote
}

/// A job's pay range. Each part is optional; `max >= min` when both are present.
public struct SalaryRange: Sendable, Hashable {
    /// The lower bound, as written (integer or double).
    public var min: Number?
    /// The upper bound, as written (integer or double).
    public var max: Number?
    /// A currency code such as "USD".
    public var currency: String?

    /// A range with the given parts (not validated; `EventDecoder` is the gate).
    public init(min: Number? = nil, max: Number? = nil, currency: String? = nil) {
        self.min = min
        self.max = max
        self.currency = currency
    }
}

/// Features the ML team attaches to a posting.
public struct MLFeatures: Sendable, Hashable {
    /// The normalised text the features were computed from.
    public var processedText: String?
    /// The keyword vector, numbers kept as written.
    public var keywordVector: [Number]?

    /// Features with the given parts.
    public init(processedText: String? = nil, keywordVector: [Number]? = nil) {
        self.processedText = processedText
        self.keywordVector = keywordVector
    }
}

/// The data of a `JobPosted` event: the posting's full current state (contract §5).
public struct JobPosting: Sendable, Hashable {
    /// The producer's id for the posting; jobs are keyed by it.
    public var externalID: String
    /// The job title.
    public var title: String
    /// The employer.
    public var company: String
    /// The full description.
    public var description: String?
    /// Where the job is.
    public var location: String?
    /// On-site, hybrid or remote.
    public var remoteType: RemoteType?
    /// Skills the job asks for.
    public var skillsRequired: [String]?
    /// When the posting was published at its source.
    public var postedDate: Timestamp?
    /// The posting's URL at its source.
    public var sourceURL: String?
    /// The site it was found on, e.g. "LinkedIn".
    public var sourcePlatform: String?
    /// The pay range.
    public var salaryRange: SalaryRange?
    /// ML features.
    public var mlFeatures: MLFeatures?
    /// False when the posting was withdrawn (a soft delete). Defaults to true.
    public var isActive: Bool

    /// A posting with the given fields (not validated; `EventDecoder` is the gate).
    public init(
        externalID: String, title: String, company: String,
        description: String? = nil, location: String? = nil, remoteType: RemoteType? = nil,
        skillsRequired: [String]? = nil, postedDate: Timestamp? = nil,
        sourceURL: String? = nil, sourcePlatform: String? = nil,
        salaryRange: SalaryRange? = nil, mlFeatures: MLFeatures? = nil, isActive: Bool = true
    ) {
        self.externalID = externalID
        self.title = title
        self.company = company
        self.description = description
        self.location = location
        self.remoteType = remoteType
        self.skillsRequired = skillsRequired
        self.postedDate = postedDate
        self.sourceURL = sourceURL
        self.sourcePlatform = sourcePlatform
        self.salaryRange = salaryRange
        self.mlFeatures = mlFeatures
        self.isActive = isActive
    }
}
