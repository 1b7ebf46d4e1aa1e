import AMQPClient

/// Every decision of a consumer, without I/O and without reading a clock: which deliveries
/// wait for a batch, which batch the writer holds, how long the reader may wait, how a written
/// batch is settled (`+Settlement`), and when the consumer is done. The reader thread
/// (`QueueConsumer`) tells it what happened, with the time it happened, and performs what it
/// returns; it lives on that thread alone.
///
/// - Batches: a batch goes to the writer when it is full, or when the writer is idle and its
///   first delivery has waited `batchWait`; once stopping, at once. The writer holds at most
///   one batch.
/// - Connections: delivery tags belong to the channel they came on. When the connection is
///   lost, the deliveries not yet written are dropped (the broker delivers them again), and
///   the batch in the writer, if any, is never acked: its result is discarded when it comes.
/// - Stopping: consuming is cancelled, what is pending is written and settled, and the
///   consumer is done once nothing has arrived for `quietAfterStop` (deliveries the broker
///   sent before the cancel are settled rather than handed back).
struct ConsumerStateMachine {
    /// The batch size and the waits.
    struct Settings: Sendable {
        /// The most deliveries in one batch.
        var batchSize: Int
        /// The longest a delivery waits for its batch to fill while the writer is idle.
        var batchWait: Duration
        /// The longest wait for deliveries when there is nothing else to do.
        var idleWait: Duration = .milliseconds(200)
        /// After a stop, how long nothing must arrive before the consumer is done.
        var quietAfterStop: Duration = .milliseconds(100)
    }

    /// What the reader does for a change of connection or a stop.
    enum Action: Equatable {
        /// Tell the broker to stop delivering on this channel.
        case cancelConsuming
        /// Let the writer give up a write that waits out a database outage, now and from now
        /// on: its deliveries stay unacked, and the broker delivers them again.
        case abandonOutages
        /// Let the writer give up the batch it holds if it waits out an outage: its result
        /// will be discarded anyway.
        case abandonBatchInWriter
    }

    struct BatchInWriter {
        let deliveries: [AMQPDelivery]
        let submittedAt: ContinuousClock.Instant
        /// Its channel is gone: its tags mean nothing on any later one.
        var channelLost = false
    }

    /// One channel's settlement state.
    struct Channel {
        /// True until a delivery of this channel is left unsettled: from then on a
        /// multiple-ack could cover it.
        var multipleAcksAreSafe = true
    }

    let settings: Settings
    // `channel` and `inWriter` are internal only for `+Settlement`; nothing else touches them.
    /// Nil while there is no connection.
    var channel: Channel?
    /// The batch the writer holds.
    var inWriter: BatchInWriter?
    /// Delivered, not yet handed to the writer, in delivery order.
    private var pending: [AMQPDelivery] = []
    private var oldestPendingAt: ContinuousClock.Instant?
    /// Set by `stopRequested`: when the last delivery arrived (or the stop, if later).
    private var stoppingSince: ContinuousClock.Instant?

    init(_ settings: Settings) {
        precondition(settings.batchSize > 0, "a batch holds at least one delivery")
        self.settings = settings
    }

    var isStopping: Bool { stoppingSince != nil }

    /// A connection is open and consuming, on a fresh channel.
    mutating func connected() {
        precondition(channel == nil, "already connected")
        channel = Channel()
    }

    /// The connection failed, or was dropped without acking.
    mutating func connectionLost() -> [Action] {
        channel = nil
        pending.removeAll()
        oldestPendingAt = nil
        guard inWriter != nil else { return [] }
        inWriter?.channelLost = true
        return [.abandonBatchInWriter]
    }

    /// The consumer is asked to stop. Only the first call has actions.
    mutating func stopRequested(now: ContinuousClock.Instant) -> [Action] {
        guard stoppingSince == nil else { return [] }
        stoppingSince = now
        return channel == nil ? [.abandonOutages] : [.abandonOutages, .cancelConsuming]
    }

    /// A delivery arrived on the current channel.
    mutating func delivered(_ delivery: AMQPDelivery, now: ContinuousClock.Instant) {
        precondition(channel != nil, "a delivery without a connection")
        if pending.isEmpty { oldestPendingAt = now }
        pending.append(delivery)
        if stoppingSince != nil { stoppingSince = now }
    }

    /// How long the reader may wait for deliveries before it must look at the writer or hand
    /// it a batch. While the writer works: a tenth of the time it has worked so far, from 1 to
    /// 20 ms, to notice its end soon without waking a thousand times a second through a long
    /// write. Otherwise until the oldest pending delivery's batch is due, or until a stop's
    /// quiet period is over, or `idleWait`.
    func waitTimeout(now: ContinuousClock.Instant) -> Duration {
        if let inWriter {
            return min(.milliseconds(20), max(.milliseconds(1), (now - inWriter.submittedAt) / 10))
        }
        if let stoppingSince {
            return max(.zero, settings.quietAfterStop - (now - stoppingSince))
        }
        if let oldestPendingAt {
            return max(.milliseconds(1), settings.batchWait - (now - oldestPendingAt))
        }
        return settings.idleWait
    }

    /// The batch to hand the writer now, if one is due; the writer then holds it until
    /// `batchWritten`.
    mutating func nextBatch(now: ContinuousClock.Instant) -> [AMQPDelivery]? {
        guard channel != nil, inWriter == nil, let oldestPendingAt else { return nil }
        let due = stoppingSince != nil || pending.count >= settings.batchSize || now - oldestPendingAt >= settings.batchWait
        guard due else { return nil }
        let count = min(settings.batchSize, pending.count)
        let batch = Array(pending[..<count])
        pending.removeFirst(count)
        self.oldestPendingAt = pending.isEmpty ? nil : now
        inWriter = BatchInWriter(deliveries: batch, submittedAt: now)
        return batch
    }

    /// Whether the consumer is done: stopping, and everything it can still settle is settled
    /// (without a connection, nothing can be).
    func isFinished(now: ContinuousClock.Instant) -> Bool {
        guard let stoppingSince else { return false }
        guard channel != nil else { return true }
        return pending.isEmpty && inWriter == nil && now - stoppingSince >= settings.quietAfterStop
    }
}
