/// Growing delays for retrying infrastructure failures: doubles from `initial` up to `maximum`.
struct Backoff {
    private let initial: Duration
    private let maximum: Duration
    private(set) var next: Duration

    init(initial: Duration = .milliseconds(100), maximum: Duration = .seconds(5)) {
        self.initial = initial
        self.maximum = maximum
        self.next = initial
    }

    /// The delay to wait now; the one after it is twice as long, up to the maximum.
    mutating func take() -> Duration {
        let delay = next
        next = min(next * 2, maximum)
        return delay
    }

    /// Back to the initial delay, after a success.
    mutating func reset() { next = initial }
}
