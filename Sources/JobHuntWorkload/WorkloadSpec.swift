/// The shape of a generated workload. The defaults are the benchmark's (issue 5).
public struct WorkloadSpec: Sendable, Hashable {
    /// Users that exist (to be inserted into `users` before the run).
    public var users: Int = 10_000
    /// Distinct job postings that JobPosted events may name.
    public var jobs: Int = 50_000
    /// Messages in all, duplicates and invalid ones included.
    public var events: Int = 200_000
    /// Share of JobPosted among valid events; MatchComputed and InteractionRecorded follow.
    public var jobPostedShare: Double = 0.2
    /// Share of MatchComputed among valid events; the rest are InteractionRecorded.
    public var matchShare: Double = 0.3
    /// Share of messages that repeat an earlier message exactly (same body, same id).
    public var duplicateShare: Double = 0.01
    /// Share of messages that are invalid (they must end as dead letters).
    public var invalidShare: Double = 0.005
    /// Seed of the generator.
    public var seed: UInt64 = 42

    /// The benchmark's defaults.
    public init() {}

    /// Matches to expect in all: the MatchComputed events that are not duplicates.
    public var expectedMatches: Double { Double(events) * (1 - duplicateShare - invalidShare) * matchShare }

    /// Sets `users` to the most that `expectedMatches` still gives `count` matches each on
    /// average (at least one user): the same events on fewer, longer histories. A (user, job)
    /// pair drawn twice is one match, so `Workload.matchesPerUser` can be slightly lower.
    public mutating func setUsers(forMatchesPerUser count: Int) {
        users = max(1, Int(expectedMatches / Double(max(count, 1))))
    }
}
