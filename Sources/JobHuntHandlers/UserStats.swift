/// A user's `user_stats` as the contract defines it (§5), computed from the source collections.
public struct UserStats: Sendable, Hashable {
    /// The user's `viewed` interactions.
    public var jobsViewed: Int
    /// The user's `saved` interactions.
    public var jobsSaved: Int
    /// The most frequent missing skill over the user's active matches; nil when none.
    public var topMissingSkill: String?

    /// Stats with these values.
    public init(jobsViewed: Int, jobsSaved: Int, topMissingSkill: String?) {
        self.jobsViewed = jobsViewed
        self.jobsSaved = jobsSaved
        self.topMissingSkill = topMissingSkill
    }

    /// Stats with nothing counted.
    public static let empty = UserStats(jobsViewed: 0, jobsSaved: 0, topMissingSkill: nil)
}

/// What the worker keeps per user so that every change to `user_stats` is a delta: the two
/// counts and, per missing skill, how many of the user's active matches miss it. The top
/// missing skill follows from those counts, so it never needs the user's match history.
public struct StatsCounts: Sendable, Hashable {
    /// The user's `viewed` interactions.
    public var jobsViewed: Int
    /// The user's `saved` interactions.
    public var jobsSaved: Int
    /// Per skill, the active matches that miss it (each match counts a skill once); no zeros.
    public private(set) var missingSkills: [String: Int]

    /// Counts with these values; zero and negative skill counts are left out.
    public init(jobsViewed: Int = 0, jobsSaved: Int = 0, missingSkills: [String: Int] = [:]) {
        self.jobsViewed = jobsViewed
        self.jobsSaved = jobsSaved
        self.missingSkills = missingSkills.filter { $0.value > 0 }
    }

    /// The counts of these interactions and active matches, each as the sources hold it.
    public init(viewed: Int, saved: Int, activeMatchesSkillsMissing: some Sequence<some Sequence<String>>) {
        var skills: [String: Int] = [:]
        for missing in activeMatchesSkillsMissing {
            for skill in Set(missing) { skills[skill, default: 0] += 1 }
        }
        self.init(jobsViewed: viewed, jobsSaved: saved, missingSkills: skills)
    }

    /// The most frequent missing skill; ties go to the smallest skill in byte order (as
    /// MongoDB orders strings); nil when no active match misses anything.
    public var topMissingSkill: String? {
        missingSkills.min { lhs, rhs in
            if lhs.value != rhs.value { return lhs.value > rhs.value }
            return lhs.key.utf8.lexicographicallyPrecedes(rhs.key.utf8)
        }?.key
    }

    /// The `user_stats` these counts give.
    public var stats: UserStats {
        UserStats(jobsViewed: jobsViewed, jobsSaved: jobsSaved, topMissingSkill: topMissingSkill)
    }

    /// These counts after `change`. A count never goes below zero: that would mean another
    /// writer changed the sources without the worker (`stats rebuild` recomputes them).
    public func applying(_ change: StatsChange) -> StatsCounts {
        var skills = missingSkills
        for (skill, delta) in change.missingSkills { skills[skill, default: 0] += delta }
        return StatsCounts(
            jobsViewed: max(0, jobsViewed + change.jobsViewed), jobsSaved: max(0, jobsSaved + change.jobsSaved),
            missingSkills: skills)
    }
}

/// How one batch's writes change a user's `StatsCounts`.
public struct StatsChange: Sendable, Hashable {
    /// `viewed` interactions inserted.
    public var jobsViewed = 0
    /// `saved` interactions inserted.
    public var jobsSaved = 0
    /// Per skill, active matches that now miss it minus those that no longer do.
    public var missingSkills: [String: Int] = [:]

    /// No change.
    public init() {}

    /// Whether the change changes nothing.
    public var isEmpty: Bool {
        jobsViewed == 0 && jobsSaved == 0 && missingSkills.values.allSatisfy { $0 == 0 }
    }

    /// Adds the change of a match whose counted skills went from `old` to `new` (each the
    /// missing skills of an active match, or empty when inactive or absent).
    mutating func replaceMatchSkills(_ old: Set<String>, with new: Set<String>) {
        for skill in new.subtracting(old) { missingSkills[skill, default: 0] += 1 }
        for skill in old.subtracting(new) { missingSkills[skill, default: 0] -= 1 }
    }
}
