import JobHuntEvents

/// Where the handlers keep their effects: MongoDB in production (`JobHuntStore`), memory in
/// tests (`JobHuntTesting`). The storage reads keys and carries out plans; what to write is
/// decided by the plans alone (`JobPlan`, `UserLanePlan`), from what it read.
///
/// Methods throw `StorageUnavailable` for failures of the infrastructure (retry as is),
/// `StorageConflict` when another writer changed a key between the read and the write (plan
/// again on a fresh read), and `StorageRejection` when the database refused a write.
public protocol JobHuntStorage: Sendable {
    /// Reads the stored versions of `externalIDs`, makes the plan from them, and carries out its
    /// writes (each on its own; none depends on another). Returns the plan and, per write, whether
    /// it found the stored posting as read (false: another writer changed it; plan again) or why
    /// the database refused it.
    func writeJobs(_ externalIDs: Set<String>, plan: (JobSnapshot) -> JobPlan) throws -> (JobPlan, [JobWriteResult])

    /// Reads `request` in one snapshot, makes the plan from it, and commits all its writes and
    /// stats atomically, or none.
    func writeUserEffects(_ request: UserLaneRequest, plan: (UserLaneSnapshot) -> UserLanePlan) throws -> UserLanePlan
}

/// What became of one write of a `JobPlan`.
public enum JobWriteResult: Sendable, Hashable {
    /// Written over the state the plan read.
    case written
    /// Another writer changed the posting since it was read: nothing written.
    case conflict
    /// The database refused the write.
    case refused(StorageRejection)
}

/// Another writer changed a key between the read and the write: nothing was written; plan again
/// on a fresh read.
public struct StorageConflict: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }
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

extension StorageRejection: Hashable {
    public static func == (lhs: StorageRejection, rhs: StorageRejection) -> Bool {
        lhs.reason == rhs.reason && lhs.description == rhs.description
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(reason)
        hasher.combine(description)
    }
}
