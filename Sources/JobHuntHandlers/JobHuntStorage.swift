import JobHuntEvents

/// Where the handlers keep their effects: MongoDB in production (`JobHuntStore`), memory in
/// unit tests. Every method is idempotent and safe to call concurrently from several workers.
///
/// Methods throw `StorageUnavailable` for failures of the infrastructure (retry as is) and
/// `StorageRejection` for writes the database refused (a dead letter).
public protocol JobHuntStorage: Sendable {
    /// Stores `job` as the full current state of the posting `job.externalID`, unless a version
    /// greater than or equal to `version` already wrote it.
    func upsertJob(_ job: JobPosting, version: EventVersion) throws -> VersionedWriteResult

    /// Whether the user `userID` exists (users are created by the REST backend).
    func userExists(_ userID: ObjectIDHex) throws -> Bool

    /// The `_id` of the referenced job, or nil when it does not exist (yet).
    func jobID(for reference: JobReference) throws -> ObjectIDHex?

    /// Stores `match` as the (`user_id`, `jobID`) match unless a version greater than or equal
    /// to `version` already wrote it, and refreshes the user's stats in the same atomic step.
    func upsertMatch(_ match: MatchComputed, jobID: ObjectIDHex, version: EventVersion) throws -> VersionedWriteResult

    /// Records the interaction (`user_id`, `jobID`, `interaction_type`) made by the event
    /// `version.eventID` at `version.time`, and refreshes the user's stats in the same atomic step.
    func recordInteraction(_ interaction: InteractionRecorded, jobID: ObjectIDHex, version: EventVersion) throws -> InteractionWriteResult

    // Batch forms (see `JobHuntStorage+Batch.swift`; the defaults call the single forms).

    /// `upsertJob` for each write, results in the same order. External ids are distinct.
    func upsertJobs(_ writes: [JobWrite]) throws -> [BatchItemResult<VersionedWriteResult>]

    /// Which of `ids` are existing users.
    func existingUsers(among ids: Set<ObjectIDHex>) throws -> Set<ObjectIDHex>

    /// The `_id` of each referenced job that exists.
    func jobIDs(for references: Set<JobReference>) throws -> [JobReference: ObjectIDHex]

    /// `upsertMatch` and `recordInteraction` for each write, and the refresh of the stats of
    /// every user they changed, results in the same order. No two writes share a key.
    func writeUserEffects(matches: [MatchWrite], interactions: [InteractionWrite]) throws -> UserEffectResults
}

/// The result of recording an interaction, which exists at most once per (user, job, type).
public enum InteractionWriteResult: Sendable, Hashable {
    /// The interaction is new and now recorded.
    case recorded
    /// This very event recorded it before.
    case sameEvent
    /// Another event recorded the same (user, job, type): a constraint violation.
    case recordedByAnotherEvent(eventID: String?)
}

/// The result of a write that only a newer version may make.
public enum VersionedWriteResult: Sendable, Hashable {
    /// The document now holds this version.
    case written
    /// The document already holds this very version (same event again).
    case sameVersion
    /// The document holds a newer version; nothing changed.
    case newerVersionPresent
}

/// The database could not be reached or did not answer in time: retry the same work later.
public struct StorageUnavailable: Error, Sendable, CustomStringConvertible {
    /// What failed, without payload data or secrets.
    public let description: String

    /// A failure described by `description`.
    public init(_ description: String) { self.description = description }
}

/// The database refused a write for a reason that retrying will not change.
public struct StorageRejection: Error, Sendable, CustomStringConvertible {
    /// The contract's reason for the dead letter.
    public let reason: DeadLetterReason
    /// What was refused, without payload data or secrets.
    public let description: String

    /// A rejection for `reason`, described by `description`.
    public init(_ reason: DeadLetterReason = .constraintViolation, _ description: String) {
        self.reason = reason
        self.description = description
    }
}
