/// Waits out an outage of the broker or the database: runs a step again, with growing delays,
/// until it succeeds or the caller gives up. Every place that waits for infrastructure to come
/// back uses it, so they all back off alike and all notice a stop within `checkInterval`.
struct OutageRetry {
    private var backoff: Backoff
    private let checkInterval: Duration
    private let newOutageAfter: Duration?

    /// Delays from `backoff`; `abandon` is checked every `checkInterval` while waiting. A step
    /// that fails after running at least `newOutageAfter` (a connection that was healthy for a
    /// while) starts a new outage: the delays begin again from the first.
    init(backoff: Backoff = Backoff(), checkInterval: Duration = .milliseconds(50), newOutageAfter: Duration? = nil) {
        self.backoff = backoff
        self.checkInterval = checkInterval
        self.newOutageAfter = newOutageAfter
    }

    /// The value of `step`, tried until it succeeds; nil once `abandon()` holds after a
    /// failure. The first attempt is always made. `onFailure` hears of each failure (to log it).
    mutating func run<T, Failure: Error>(
        abandonWhen abandon: () -> Bool, onFailure: (Failure) -> Void, _ step: () throws(Failure) -> T
    ) -> T? {
        while true {
            let started = ContinuousClock.now
            do {
                return try step()
            } catch {
                if let newOutageAfter, ContinuousClock.now - started >= newOutageAfter { backoff.reset() }
                onFailure(error)
                guard sleep(backoff.take(), unless: abandon) else { return nil }
            }
        }
    }

    /// Sleeps `duration` in slices, returning false as soon as `abandon()` holds.
    private func sleep(_ duration: Duration, unless abandon: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now + duration
        while ContinuousClock.now < deadline {
            if abandon() { return false }
            blockingSleep(min(deadline - ContinuousClock.now, checkInterval))
        }
        return !abandon()
    }
}
