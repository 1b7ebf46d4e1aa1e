import JobHuntEvents

/// One JobPosted write of a batch.
public struct JobWrite: Sendable, Hashable {
    public let job: JobPosting
    public let version: EventVersion

    public init(job: JobPosting, version: EventVersion) {
        self.job = job
        self.version = version
    }
}

/// One MatchComputed write of a batch, its job resolved.
public struct MatchWrite: Sendable, Hashable {
    public let match: MatchComputed
    public let jobID: ObjectIDHex
    public let version: EventVersion

    public init(match: MatchComputed, jobID: ObjectIDHex, version: EventVersion) {
        self.match = match
        self.jobID = jobID
        self.version = version
    }
}

/// One InteractionRecorded write of a batch, its job resolved.
public struct InteractionWrite: Sendable, Hashable {
    public let interaction: InteractionRecorded
    public let jobID: ObjectIDHex
    public let version: EventVersion

    public init(interaction: InteractionRecorded, jobID: ObjectIDHex, version: EventVersion) {
        self.interaction = interaction
        self.jobID = jobID
        self.version = version
    }
}

/// The result of one write of a batch: what it did, or why the database refused it.
public typealias BatchItemResult<Success> = Result<Success, StorageRejection>

/// The results of `JobHuntStorage.writeUserEffects`, in the order of its arguments.
public struct UserEffectResults: Sendable, Hashable {
    public var matches: [BatchItemResult<VersionedWriteResult>]
    public var interactions: [BatchItemResult<InteractionWriteResult>]

    public init(matches: [BatchItemResult<VersionedWriteResult>], interactions: [BatchItemResult<InteractionWriteResult>]) {
        self.matches = matches
        self.interactions = interactions
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

/// The batch operations of `JobHuntStorage`: the same effects as the single ones, in as few
/// round trips as the store allows. Callers never put two writes of the same key (external id;
/// user and job; user, job and type) in one call, so the writes of a call are independent.
/// A refusal of one write is that write's result and never fails the others; only
/// `StorageUnavailable` is thrown, after which the whole call may be repeated.
///
/// The default implementations call the single operations one by one.
extension JobHuntStorage {
    public func upsertJobs(_ writes: [JobWrite]) throws -> [BatchItemResult<VersionedWriteResult>] {
        try upsertJobsOneByOne(writes)
    }

    public func existingUsers(among ids: Set<ObjectIDHex>) throws -> Set<ObjectIDHex> {
        try ids.filter { try userExists($0) }
    }

    public func jobIDs(for references: Set<JobReference>) throws -> [JobReference: ObjectIDHex] {
        var found: [JobReference: ObjectIDHex] = [:]
        for reference in references {
            found[reference] = try jobID(for: reference)
        }
        return found
    }

    public func writeUserEffects(matches: [MatchWrite], interactions: [InteractionWrite]) throws -> UserEffectResults {
        try writeUserEffectsOneByOne(matches: matches, interactions: interactions)
    }

    /// `upsertJob` for each write (the default, and a batch implementation's fallback).
    public func upsertJobsOneByOne(_ writes: [JobWrite]) throws -> [BatchItemResult<VersionedWriteResult>] {
        try writes.map { write in try Self.catchingRejection { try upsertJob(write.job, version: write.version) } }
    }

    /// `upsertMatch` and `recordInteraction` for each write (the default, and a batch
    /// implementation's fallback).
    public func writeUserEffectsOneByOne(matches: [MatchWrite], interactions: [InteractionWrite]) throws -> UserEffectResults {
        UserEffectResults(
            matches: try matches.map { write in
                try Self.catchingRejection { try upsertMatch(write.match, jobID: write.jobID, version: write.version) }
            },
            interactions: try interactions.map { write in
                try Self.catchingRejection { try recordInteraction(write.interaction, jobID: write.jobID, version: write.version) }
            })
    }

    /// `body`'s value, or its `StorageRejection` as a failure; any other error is rethrown.
    public static func catchingRejection<T>(_ body: () throws -> T) throws -> BatchItemResult<T> {
        do {
            return .success(try body())
        } catch let rejection as StorageRejection {
            return .failure(rejection)
        }
    }
}
