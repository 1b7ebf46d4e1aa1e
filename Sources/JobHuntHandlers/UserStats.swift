/// A user's `user_stats` (contract §5), computed from the source collections.
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

    /// The most frequent entry of `skills_missing` over the given active matches, each match
    /// counting a skill once; ties go to the smallest skill in byte order; nil when none.
    public static func topMissingSkill(_ skillsMissingPerMatch: some Sequence<[String]>) -> String? {
        var counts: [String: Int] = [:]
        for skills in skillsMissingPerMatch {
            for skill in Set(skills) { counts[skill, default: 0] += 1 }
        }
        return counts.min { lhs, rhs in
            if lhs.value != rhs.value { return lhs.value > rhs.value }
            return lhs.key.utf8.lexicographicallyPrecedes(rhs.key.utf8)
        }?.key
    }
}
