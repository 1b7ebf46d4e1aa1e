import JobHuntEvents
import JobHuntHandlers
import Synchronization

/// `JobHuntStorage` in memory, for unit tests of the handlers without a server. It carries out
/// the handlers' plans as MongoDB would, under one lock (so it never conflicts on its own), and
/// can be told to report conflicts or refuse writes, to exercise the handlers' answers to them.
public final class InMemoryJobHuntStorage: JobHuntStorage {
    public struct StoredJob: Sendable, Hashable {
        public let id: ObjectIDHex
        public let job: JobPosting
        public let version: EventVersion
    }

    public struct StoredMatchState: Sendable, Hashable {
        public let match: MatchComputed
        public let version: EventVersion
    }

    private struct State {
        var users: Set<ObjectIDHex> = []
        var jobs: [String: StoredJob] = [:]
        var matches: [MatchKey: StoredMatchState] = [:]
        var interactions: [InteractionKey: String?] = [:]
        var keptStats: [ObjectIDHex: StatsCounts] = [:]
        var nextJobNumber: UInt32 = 1
        var conflictsToReport = 0
        var refusedEventIDs: Set<String> = []
        var userEffectCommits = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Adds a user, as the REST backend would.
    public func addUser(_ id: ObjectIDHex) {
        state.withLock { _ = $0.users.insert(id) }
    }

    /// Stores an interaction as another writer would (without the worker's stats).
    public func addInteraction(_ key: InteractionKey, eventID: String?) {
        state.withLock { $0.interactions[key] = .some(eventID) }
    }

    /// Sets the stats counts the worker keeps for `user`, as a drifted document would hold them.
    public func setKeptStats(_ counts: StatsCounts?, for user: ObjectIDHex) {
        state.withLock { $0.keptStats[user] = counts }
    }

    /// The next `count` user-lane writes report a conflict after planning, writing nothing.
    public func reportConflicts(_ count: Int) {
        state.withLock { $0.conflictsToReport = count }
    }

    /// User-lane writes whose plan carries one of these events are refused as a whole.
    public func refuseWrites(ofEvents ids: Set<String>) {
        state.withLock { $0.refusedEventIDs = ids }
    }

    public func job(externalID: String) -> StoredJob? { state.withLock { $0.jobs[externalID] } }
    public var jobCount: Int { state.withLock { $0.jobs.count } }
    public func match(user: ObjectIDHex, job: ObjectIDHex) -> StoredMatchState? {
        state.withLock { $0.matches[MatchKey(user: user, job: job)] }
    }
    public var interactionCount: Int { state.withLock { $0.interactions.count } }
    /// How many user-lane writes committed.
    public var userEffectCommits: Int { state.withLock { $0.userEffectCommits } }
    /// The counts kept for `user` (nil when none were written).
    public func keptStats(for user: ObjectIDHex) -> StatsCounts? { state.withLock { $0.keptStats[user] } }
    /// Every stored posting, by external id.
    public var allJobs: [String: StoredJob] { state.withLock { $0.jobs } }
    /// Every stored match.
    public var allMatches: [MatchKey: StoredMatchState] { state.withLock { $0.matches } }
    /// Every stored interaction and the event that recorded it.
    public var allInteractions: [InteractionKey: String?] { state.withLock { $0.interactions } }
    /// The users with kept counts.
    public var usersWithKeptStats: Set<ObjectIDHex> { state.withLock { Set($0.keptStats.keys) } }
    /// `user`'s counts computed from what is stored now (what kept counts must equal).
    public func computedStats(for user: ObjectIDHex) -> StatsCounts { state.withLock { Self.counts(of: user, in: $0) } }
    /// The stats kept for `user`, or empty.
    public func stats(for user: ObjectIDHex) -> UserStats { keptStats(for: user)?.stats ?? .empty }

    public func writeJobs(_ externalIDs: Set<String>, plan: (JobSnapshot) -> JobPlan) throws -> (JobPlan, [JobWriteResult]) {
        state.withLock { state in
            let snapshot = JobSnapshot(versions: Dictionary(uniqueKeysWithValues: externalIDs.compactMap { id in
                state.jobs[id].map { (id, Optional($0.version)) }
            }))
            let plan = plan(snapshot)
            for write in plan.writes {
                let id = state.jobs[write.job.externalID]?.id ?? Self.objectID(number: state.nextJobNumber)
                if state.jobs[write.job.externalID] == nil { state.nextJobNumber += 1 }
                state.jobs[write.job.externalID] = StoredJob(id: id, job: write.job, version: write.version)
            }
            return (plan, plan.writes.map { _ in .written })
        }
    }

    public func writeUserEffects(_ request: UserLaneRequest, plan: (UserLaneSnapshot) -> UserLanePlan) throws -> UserLanePlan {
        try state.withLock { state in
            let plan = plan(Self.snapshot(request, of: state))
            if state.conflictsToReport > 0 {
                state.conflictsToReport -= 1
                throw StorageConflict("injected conflict")
            }
            let events = Set(plan.matches.map(\.version.eventID) + plan.interactions.map(\.version.eventID))
            if !events.isDisjoint(with: state.refusedEventIDs) { throw StorageRejection(.constraintViolation, "injected refusal") }
            for write in plan.matches { state.matches[write.key] = StoredMatchState(match: write.match, version: write.version) }
            for insert in plan.interactions { state.interactions[insert.key] = .some(insert.version.eventID) }
            for (user, counts) in plan.stats { state.keptStats[user] = counts }
            state.userEffectCommits += 1
            return plan
        }
    }

    private static func snapshot(_ request: UserLaneRequest, of state: State) -> UserLaneSnapshot {
        var snapshot = UserLaneSnapshot()
        snapshot.users = request.users.intersection(state.users)
        for reference in request.jobs {
            switch reference {
            case .externalID(let externalID): snapshot.jobIDs[reference] = state.jobs[externalID]?.id
            case .id(let id): snapshot.jobIDs[reference] = state.jobs.values.first { $0.id == id }?.id
            }
        }
        for reference in request.matches {
            guard let job = snapshot.jobIDs[reference.job] else { continue }
            let key = MatchKey(user: reference.user, job: job)
            if let stored = state.matches[key] {
                snapshot.matches[key] = StoredMatch(
                    version: stored.version,
                    countedSkills: stored.match.isActive ? Set(stored.match.matchDetails?.skillsMissing ?? []) : [])
            }
        }
        for (reference, types) in request.interactions {
            guard let job = snapshot.jobIDs[reference.job] else { continue }
            for type in types {
                let key = InteractionKey(user: reference.user, job: job, type: type)
                if let eventID = state.interactions[key] { snapshot.interactions[key] = eventID }
            }
        }
        for user in snapshot.users {
            if let kept = state.keptStats[user] {
                snapshot.stats[user] = StoredStats(counts: kept, isKept: true)
            } else {
                snapshot.stats[user] = StoredStats(counts: counts(of: user, in: state), isKept: false)
            }
        }
        return snapshot
    }

    /// `user`'s counts from what is stored, as the MongoDB storage computes them from the sources.
    private static func counts(of user: ObjectIDHex, in state: State) -> StatsCounts {
        let mine = state.interactions.keys.filter { $0.user == user }
        return StatsCounts(
            viewed: mine.count { $0.type == .viewed }, saved: mine.count { $0.type == .saved },
            activeMatchesSkillsMissing: state.matches.filter { $0.key.user == user && $0.value.match.isActive }
                .map { $0.value.match.matchDetails?.skillsMissing ?? [] })
    }

    private static func objectID(number: UInt32) -> ObjectIDHex {
        ObjectIDHex(bytes: [0, 0, 0, 0, 0, 0, 0, 0] + withUnsafeBytes(of: number.bigEndian, Array.init))!
    }
}
