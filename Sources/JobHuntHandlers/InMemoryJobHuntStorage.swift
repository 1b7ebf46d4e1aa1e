import JobHuntEvents
import Synchronization

/// `JobHuntStorage` in memory: the reference semantics that unit tests check the handlers
/// against without a server. The MongoDB storage must behave the same (integration tests).
public final class InMemoryJobHuntStorage: JobHuntStorage {
    /// A stored job posting and the version that wrote it.
    public struct StoredJob: Sendable, Hashable {
        /// The job's `_id`.
        public let id: ObjectIDHex
        /// The posting's full current state.
        public let job: JobPosting
        /// The event that wrote it.
        public let version: EventVersion
    }

    /// A stored match and the version that wrote it.
    public struct StoredMatch: Sendable, Hashable {
        /// The match as the event gave it.
        public let match: MatchComputed
        /// The event that wrote it.
        public let version: EventVersion
    }

    private struct MatchKey: Hashable { let user: ObjectIDHex, job: ObjectIDHex }
    private struct InteractionKey: Hashable { let user: ObjectIDHex, job: ObjectIDHex, type: InteractionType }

    private struct State {
        var users: Set<ObjectIDHex> = []
        var jobs: [String: StoredJob] = [:]
        var matches: [MatchKey: StoredMatch] = [:]
        var interactions: [InteractionKey: EventVersion] = [:]
        var nextJobNumber: UInt32 = 1
    }

    private let state = Mutex(State())

    /// An empty store.
    public init() {}

    /// Adds a user, as the REST backend would.
    public func addUser(_ id: ObjectIDHex) {
        state.withLock { _ = $0.users.insert(id) }
    }

    /// The stored job with `externalID`, if any.
    public func job(externalID: String) -> StoredJob? {
        state.withLock { $0.jobs[externalID] }
    }

    /// How many jobs are stored.
    public var jobCount: Int { state.withLock { $0.jobs.count } }

    /// The stored match of (`user`, `job`), if any.
    public func match(user: ObjectIDHex, job: ObjectIDHex) -> StoredMatch? {
        state.withLock { $0.matches[MatchKey(user: user, job: job)] }
    }

    /// Every stored match.
    public var allMatches: [StoredMatch] { state.withLock { Array($0.matches.values) } }

    /// Every stored job.
    public var allJobs: [StoredJob] { state.withLock { Array($0.jobs.values) } }

    /// Every stored interaction: the user, the job's id, the type, and the event that made it.
    public var allInteractions: [(user: ObjectIDHex, job: ObjectIDHex, type: InteractionType, eventID: String)] {
        state.withLock { $0.interactions.map { ($0.key.user, $0.key.job, $0.key.type, $0.value.eventID) } }
    }

    /// How many interactions are stored.
    public var interactionCount: Int { state.withLock { $0.interactions.count } }

    /// Every user's stats, computed in one pass (users with nothing to count are absent).
    public func allStats() -> [ObjectIDHex: UserStats] {
        state.withLock { state in
            var stats: [ObjectIDHex: UserStats] = [:]
            for key in state.interactions.keys where key.type == .viewed || key.type == .saved {
                var entry = stats[key.user] ?? UserStats(jobsViewed: 0, jobsSaved: 0, topMissingSkill: nil)
                if key.type == .viewed { entry.jobsViewed += 1 } else { entry.jobsSaved += 1 }
                stats[key.user] = entry
            }
            var skillsByUser: [ObjectIDHex: [[String]]] = [:]
            for (key, stored) in state.matches where stored.match.isActive {
                skillsByUser[key.user, default: []].append(stored.match.matchDetails?.skillsMissing ?? [])
            }
            for (user, skills) in skillsByUser {
                guard let top = UserStats.topMissingSkill(skills) else { continue }
                stats[user, default: UserStats(jobsViewed: 0, jobsSaved: 0, topMissingSkill: nil)].topMissingSkill = top
            }
            return stats
        }
    }

    /// The user's stats computed from what is stored.
    public func stats(for user: ObjectIDHex) -> UserStats {
        state.withLock { state in
            let mine = state.interactions.keys.filter { $0.user == user }
            let skills = state.matches.filter { $0.key.user == user && $0.value.match.isActive }
                .map { $0.value.match.matchDetails?.skillsMissing ?? [] }
            return UserStats(
                jobsViewed: mine.count { $0.type == .viewed },
                jobsSaved: mine.count { $0.type == .saved },
                topMissingSkill: UserStats.topMissingSkill(skills))
        }
    }

    public func upsertJob(_ job: JobPosting, version: EventVersion) throws -> VersionedWriteResult {
        state.withLock { state in
            let existing = state.jobs[job.externalID]
            if let existing {
                if existing.version == version { return .sameVersion }
                if version < existing.version { return .newerVersionPresent }
            }
            let id = existing?.id ?? Self.objectID(number: state.nextJobNumber)
            if existing == nil { state.nextJobNumber += 1 }
            state.jobs[job.externalID] = StoredJob(id: id, job: job, version: version)
            return .written
        }
    }

    public func userExists(_ userID: ObjectIDHex) throws -> Bool {
        state.withLock { $0.users.contains(userID) }
    }

    public func jobID(for reference: JobReference) throws -> ObjectIDHex? {
        state.withLock { state in
            switch reference {
            case .externalID(let externalID): return state.jobs[externalID]?.id
            case .id(let id): return state.jobs.values.first { $0.id == id }?.id
            }
        }
    }

    public func upsertMatch(_ match: MatchComputed, jobID: ObjectIDHex, version: EventVersion) throws -> VersionedWriteResult {
        state.withLock { state in
            let key = MatchKey(user: match.userID, job: jobID)
            if let existing = state.matches[key] {
                if existing.version == version { return .sameVersion }
                if version < existing.version { return .newerVersionPresent }
            }
            state.matches[key] = StoredMatch(match: match, version: version)
            return .written
        }
    }

    public func recordInteraction(_ interaction: InteractionRecorded, jobID: ObjectIDHex, version: EventVersion) throws -> InteractionWriteResult {
        state.withLock { state in
            let key = InteractionKey(user: interaction.userID, job: jobID, type: interaction.interactionType)
            if let existing = state.interactions[key] {
                return existing.eventID == version.eventID ? .sameEvent : .recordedByAnotherEvent(eventID: existing.eventID)
            }
            state.interactions[key] = version
            return .recorded
        }
    }

    private static func objectID(number: UInt32) -> ObjectIDHex {
        ObjectIDHex(bytes: [0, 0, 0, 0, 0, 0, 0, 0] + withUnsafeBytes(of: number.bigEndian, Array.init))!
    }
}
