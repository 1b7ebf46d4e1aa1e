import Foundation

/// Keeps `dlq replay --rate R` at or under R messages per second, so a large replay does not
/// flood a system that is just recovering: message k (from 0) is published no earlier than
/// k/R seconds after the first. Waiting is a plain sleep of the calling thread (the replay is
/// a one-shot command, not a pool task); when publishing is already slower than R it never
/// sleeps, and it never catches up with a burst.
struct ReplayPacer {
    private let interval: Duration?
    private var next: ContinuousClock.Instant?

    /// A pacer for `rate` messages per second; nil paces nothing.
    init(rate: Double?) {
        interval = rate.map { .nanoseconds(Int64((1_000_000_000 / $0).rounded(.up))) }
    }

    /// Returns when the next message may be published.
    mutating func waitForTurn() {
        guard let interval else { return }
        let now = ContinuousClock.now
        if let next, next > now { blockingSleep(next - now) }
        next = max(next ?? now, now) + interval
    }

    /// How many messages to publish between confirms: about a second's worth (at least 1,
    /// at most `pageSize`), so records are marked `replayed` as the replay goes.
    static func batchSize(rate: Double?, pageSize: Int) -> Int {
        guard let rate else { return pageSize }
        return max(1, min(pageSize, Int(rate)))
    }
}
