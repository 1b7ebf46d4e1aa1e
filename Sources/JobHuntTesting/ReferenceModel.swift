import JobHuntEvents

/// The contract's effects written plainly, event by event, with none of the worker's code: the
/// independent model that tests and the benchmark compare the database with.
///
/// - JobPosted stores the posting unless the stored one was written by a later event (greater
///   `time`, or the same `time` and a greater `id` in byte order).
/// - MatchComputed and InteractionRecorded wait until their user and job exist.
/// - A match follows the same ordering rule per (user, job).
/// - An interaction is recorded once per (user, job, type); the same event again changes
///   nothing, another event is a duplicate.
/// - Stats are counted from what is stored, whenever asked.
public struct ReferenceModel: Sendable {
    /// A stored posting: the event that wrote it and the `_id` it got.
    public struct Job: Sendable, Hashable {
        public let id: ObjectIDHex
        public let posting: JobPosting
        public let eventID: String
        public let time: Timestamp
    }

    /// A stored match and the event that wrote it.
    public struct Match: Sendable, Hashable {
        public let match: MatchComputed
        public let jobID: ObjectIDHex
        public let eventID: String
        public let time: Timestamp
    }

    /// A recorded interaction.
    public struct Interaction: Sendable, Hashable {
        public let user: ObjectIDHex
        public let jobID: ObjectIDHex
        public let type: InteractionType
        public let eventID: String
        public let time: Timestamp
    }

    /// What applying one event did, in the model's own words.
    public enum Effect: Sendable, Hashable {
        case stored
        case unchanged
        case waitingForReference
        case duplicateInteraction
    }

    public private(set) var users: Set<ObjectIDHex> = []
    public private(set) var jobs: [String: Job] = [:]
    public private(set) var matches: [String: Match] = [:]
    public private(set) var interactions: [String: Interaction] = [:]
    private var nextJobNumber: UInt32 = 1

    public init(users: some Sequence<ObjectIDHex> = []) {
        self.users = Set(users)
    }

    /// Adds a user, as the REST backend would.
    public mutating func addUser(_ user: ObjectIDHex) {
        users.insert(user)
    }

    /// Applies one event.
    @discardableResult
    public mutating func apply(_ event: Event) -> Effect {
        let id = event.metadata.id
        let time = event.metadata.time
        switch event.payload {
        case .jobPosted(let posting):
            if let stored = jobs[posting.externalID] {
                if !Self.isLater(time, id, than: stored.time, stored.eventID) { return .unchanged }
                jobs[posting.externalID] = Job(id: stored.id, posting: posting, eventID: id, time: time)
            } else {
                jobs[posting.externalID] = Job(id: newJobID(), posting: posting, eventID: id, time: time)
            }
            return .stored
        case .matchComputed(let match):
            guard users.contains(match.userID), let job = job(match.job) else { return .waitingForReference }
            let key = "\(match.userID.hex)/\(job.id.hex)"
            if let stored = matches[key], !Self.isLater(time, id, than: stored.time, stored.eventID) { return .unchanged }
            matches[key] = Match(match: match, jobID: job.id, eventID: id, time: time)
            return .stored
        case .interactionRecorded(let interaction):
            guard users.contains(interaction.userID), let job = job(interaction.job) else { return .waitingForReference }
            let key = "\(interaction.userID.hex)/\(job.id.hex)/\(interaction.interactionType.rawValue)"
            if let stored = interactions[key] { return stored.eventID == id ? .unchanged : .duplicateInteraction }
            interactions[key] = Interaction(user: interaction.userID, jobID: job.id, type: interaction.interactionType, eventID: id, time: time)
            return .stored
        }
    }

    /// Each user's stats as the contract defines them, for every user with anything to count.
    public func stats() -> [ObjectIDHex: (viewed: Int, saved: Int, topMissingSkill: String?)] {
        var viewed: [ObjectIDHex: Int] = [:]
        var saved: [ObjectIDHex: Int] = [:]
        for interaction in interactions.values {
            if interaction.type == .viewed { viewed[interaction.user, default: 0] += 1 }
            if interaction.type == .saved { saved[interaction.user, default: 0] += 1 }
        }
        var skillCounts: [ObjectIDHex: [String: Int]] = [:]
        for stored in matches.values where stored.match.isActive {
            for skill in Set(stored.match.matchDetails?.skillsMissing ?? []) {
                skillCounts[stored.match.userID, default: [:]][skill, default: 0] += 1
            }
        }
        var result: [ObjectIDHex: (viewed: Int, saved: Int, topMissingSkill: String?)] = [:]
        for user in Set(viewed.keys).union(saved.keys).union(skillCounts.keys) {
            var top: (skill: String, count: Int)?
            for (skill, count) in skillCounts[user] ?? [:] {
                if let best = top, count < best.count || (count == best.count && !Array(skill.utf8).lexicographicallyPrecedes(Array(best.skill.utf8))) {
                    continue
                }
                top = (skill, count)
            }
            result[user] = (viewed[user] ?? 0, saved[user] ?? 0, top?.skill)
        }
        return result
    }

    private func job(_ reference: JobReference) -> Job? {
        switch reference {
        case .externalID(let externalID): return jobs[externalID]
        case .id(let id): return jobs.values.first { $0.id == id }
        }
    }

    private static func isLater(_ time: Timestamp, _ id: String, than storedTime: Timestamp, _ storedID: String) -> Bool {
        if time != storedTime { return time > storedTime }
        return Array(storedID.utf8).lexicographicallyPrecedes(Array(id.utf8))
    }

    private mutating func newJobID() -> ObjectIDHex {
        defer { nextJobNumber += 1 }
        return ObjectIDHex(bytes: [0, 0, 0, 0, 0, 0, 0, 0] + withUnsafeBytes(of: nextJobNumber.bigEndian, Array.init))!
    }
}
