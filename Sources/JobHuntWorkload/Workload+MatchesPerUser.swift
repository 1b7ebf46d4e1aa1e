import JobHuntEvents

extension Workload {
    /// How many matches the users hold once the workload is applied: one per distinct
    /// (user, job) pair of its MatchComputed events.
    public struct MatchesPerUser: Sendable {
        /// The mean over every user, those with none included.
        public let mean: Double
        /// The fewest any user holds.
        public let min: Int
        /// The most any user holds.
        public let max: Int
    }

    /// The matches per user of this workload.
    public var matchesPerUser: MatchesPerUser {
        struct Pair: Hashable { let user: ObjectIDHex, job: JobReference }
        var pairs = Set<Pair>()
        for case .matchComputed(let match)? in messages.lazy.map(\.event?.payload) {
            pairs.insert(Pair(user: match.userID, job: match.job))
        }
        var counts: [ObjectIDHex: Int] = [:]
        for pair in pairs { counts[pair.user, default: 0] += 1 }
        let perUser = userIDs.map { counts[$0] ?? 0 }
        return MatchesPerUser(
            mean: Double(pairs.count) / Double(Swift.max(userIDs.count, 1)), min: perUser.min() ?? 0, max: perUser.max() ?? 0)
    }
}
