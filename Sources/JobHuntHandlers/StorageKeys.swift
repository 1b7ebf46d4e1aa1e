import JobHuntEvents

/// The key of a match: one per (user, job).
public struct MatchKey: Sendable, Hashable {
    public let user: ObjectIDHex
    public let job: ObjectIDHex

    public init(user: ObjectIDHex, job: ObjectIDHex) {
        self.user = user
        self.job = job
    }
}

/// The key of an interaction: one per (user, job, type).
public struct InteractionKey: Sendable, Hashable {
    public let user: ObjectIDHex
    public let job: ObjectIDHex
    public let type: InteractionType

    public init(user: ObjectIDHex, job: ObjectIDHex, type: InteractionType) {
        self.user = user
        self.job = job
        self.type = type
    }
}

/// A user and a job as an event names it, before the job's `_id` is known.
public struct UserJobReference: Sendable, Hashable {
    public let user: ObjectIDHex
    public let job: JobReference

    public init(user: ObjectIDHex, job: JobReference) {
        self.user = user
        self.job = job
    }
}
