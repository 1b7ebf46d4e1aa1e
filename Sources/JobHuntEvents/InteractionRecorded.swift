/// What a user did with a job.
public enum InteractionType: String, Sendable, Hashable, CaseIterable {
    /// Opened the posting.
    case viewed
    /// Bookmarked it.
    case saved
    /// Applied.
    case applied
    /// Dismissed it.
    case rejected
    /// Withdrew an application.
    case withdrawn
}

/// The data of an `InteractionRecorded` event (contract §5).
public struct InteractionRecorded: Sendable, Hashable {
    /// The user.
    public var userID: ObjectIDHex
    /// The job.
    public var job: JobReference
    /// What the user did.
    public var interactionType: InteractionType

    /// An interaction with the given fields.
    public init(userID: ObjectIDHex, job: JobReference, interactionType: InteractionType) {
        self.userID = userID
        self.job = job
        self.interactionType = interactionType
    }
}
