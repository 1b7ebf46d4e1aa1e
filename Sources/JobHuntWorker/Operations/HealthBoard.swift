import Synchronization

/// What the worker's threads report about themselves, and the one place where readiness and
/// liveness (contract §7) are decided from it. Consumers and their writers report as they go;
/// the operations endpoints ask. Times are passed in, so the rules are tested without waiting.
///
/// - Ready: at least one consumer, every consumer holds an open channel, and MongoDB answered
///   within `databaseFreshness`.
/// - Live: no consumer's reader and no busy writer has gone `stallLimit` without a sign of
///   progress. Waiting out an outage is progress (each wait slice reports); being stuck inside
///   one blocking call is not.
public final class HealthBoard: Sendable {
    public struct Limits: Sendable {
        /// How long a reader, or a writer with a batch, may go without reporting
        /// (`JOBHUNT_STUCK_AFTER_S`; its default is `WorkerConfiguration`'s).
        public var stallLimit: Duration
        /// How long an answer from MongoDB counts as recent.
        public var databaseFreshness: Duration

        public init(
            stallLimit: Duration = .seconds(WorkerConfiguration().stuckAfterSeconds), databaseFreshness: Duration = .seconds(15)
        ) {
            self.stallLimit = stallLimit
            self.databaseFreshness = databaseFreshness
        }

        /// The limits `configuration` sets.
        public init(_ configuration: WorkerConfiguration) {
            self.init(stallLimit: .seconds(configuration.stuckAfterSeconds))
        }
    }

    /// A verdict and, when negative, what is missing (short, for a JSON body or a log).
    public struct Verdict: Sendable, Equatable {
        public let ok: Bool
        public let problems: [String]
    }

    private struct Consumer {
        let queue: String
        var channelOpen = false
        var readerSeen: ContinuousClock.Instant
        /// When the writer last reported while it has a batch; nil while it is idle.
        var writerSeen: ContinuousClock.Instant?
    }

    private struct State {
        var consumers: [String: Consumer] = [:]
        var databaseAnswered: ContinuousClock.Instant?
    }

    public let limits: Limits
    private let state = Mutex(State())
    /// Called with a queue and whether all its consumers are up, whenever that may have changed.
    private let queueUp: @Sendable (String, Bool) -> Void

    public convenience init(limits: Limits = Limits()) {
        self.init(limits: limits, queueUp: { WorkerMetrics.consumerUp(queue: $0, $1) })
    }

    init(limits: Limits, queueUp: @escaping @Sendable (String, Bool) -> Void) {
        self.limits = limits
        self.queueUp = queueUp
    }

    /// Consumer `name` of `queue` exists (not yet connected).
    func register(consumer name: String, queue: String, now: ContinuousClock.Instant = .now) {
        state.withLock { $0.consumers[name] = Consumer(queue: queue, readerSeen: now) }
        publishQueue(queue)
    }

    /// Consumer `name` opened (true) or lost or closed (false) its channel.
    func channel(of name: String, open: Bool, now: ContinuousClock.Instant = .now) {
        let queue = state.withLock { state -> String? in
            state.consumers[name]?.channelOpen = open
            state.consumers[name]?.readerSeen = now
            return state.consumers[name]?.queue
        }
        if let queue { publishQueue(queue) }
    }

    /// Consumer `name`'s reader is making progress.
    func readerProgress(_ name: String, now: ContinuousClock.Instant = .now) {
        state.withLock { $0.consumers[name]?.readerSeen = now }
    }

    /// Consumer `name`'s writer is working on a batch (started, or waiting out an outage).
    func writerProgress(_ name: String, now: ContinuousClock.Instant = .now) {
        state.withLock { $0.consumers[name]?.writerSeen = now }
    }

    /// Consumer `name`'s writer finished its batch and is idle.
    func writerIdle(_ name: String) {
        state.withLock { $0.consumers[name]?.writerSeen = nil }
    }

    /// MongoDB answered a command or a write.
    public func databaseAnswered(now: ContinuousClock.Instant = .now) {
        state.withLock { $0.databaseAnswered = now }
    }

    public func readiness(now: ContinuousClock.Instant = .now) -> Verdict {
        state.withLock { state in
            var problems: [String] = []
            if state.consumers.isEmpty { problems.append("no consumer started yet") }
            for (name, consumer) in state.consumers.sorted(by: { $0.key < $1.key }) where !consumer.channelOpen {
                problems.append("consumer \(name) has no open channel")
            }
            if let answered = state.databaseAnswered {
                let silence = now - answered
                if silence > limits.databaseFreshness { problems.append("MongoDB has not answered for \(silence.components.seconds) s") }
            } else {
                problems.append("MongoDB has not answered yet")
            }
            return Verdict(ok: problems.isEmpty, problems: problems)
        }
    }

    public func liveness(now: ContinuousClock.Instant = .now) -> Verdict {
        state.withLock { state in
            var problems: [String] = []
            for (name, consumer) in state.consumers.sorted(by: { $0.key < $1.key }) {
                if now - consumer.readerSeen > limits.stallLimit { problems.append("consumer \(name) is stuck") }
                if let seen = consumer.writerSeen, now - seen > limits.stallLimit { problems.append("the writer of \(name) is stuck") }
            }
            return Verdict(ok: problems.isEmpty, problems: problems)
        }
    }

    private func publishQueue(_ queue: String) {
        // Under the lock, so that two threads cannot record their verdicts in the wrong order.
        state.withLock { state in queueUp(queue, state.consumers.values.filter { $0.queue == queue }.allSatisfy(\.channelOpen)) }
    }
}
