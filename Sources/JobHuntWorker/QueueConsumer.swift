import AMQPClient
import JobHuntEvents
import JobHuntHandlers
import JobHuntStore
import Logging

/// Consumes one queue on a connection of its own, in batches, and settles every delivery only
/// after its effect is committed. Runs on a dedicated thread (librabbitmq blocks and is not
/// thread-safe), with a `WriterThread` beside it:
///
/// - This thread reads deliveries (up to the prefetch) and groups them into batches of at most
///   `batchSize`; a batch goes to the writer as soon as it is full, or when the writer is idle
///   and its first delivery has waited `batchWait`. While the writer works, this thread keeps
///   reading the next batch and answering heartbeats, so broker and database round trips overlap.
/// - The writer (`BatchWriter`) applies the batch and records its dead letters; this thread then
///   publishes the retry copies and acks (`SettlementSender`). Nothing is acked before its write
///   is acknowledged by the database.
/// - The database is unavailable: the writer retries the batch with growing delays while this
///   thread keeps the connection alive; the prefetch bounds what is buffered meanwhile.
/// - The connection fails: reconnect with growing delays; the broker redelivers what was unacked.
///
/// On stop it cancels the consumer, settles what was already delivered, then closes.
final class QueueConsumer: @unchecked Sendable {
    // @unchecked: all mutable state is confined to the thread that calls `run()`.
    private let queue: String
    private let name: String
    private let configuration: WorkerConfiguration
    private let processing: DeliveryProcessing
    private let deadLetters: DeadLetterStore
    private let stop: StopSignal
    private var logger: Logger
    /// The broker node of `AMQP_URL` the next connection tries first.
    private var nextNode = 0
    /// The longest wait for deliveries when there is nothing else to do.
    private let idleWait: Duration = .milliseconds(200)

    init(
        queue: String, name: String, configuration: WorkerConfiguration, processing: DeliveryProcessing,
        deadLetters: DeadLetterStore, stop: StopSignal, logger: Logger
    ) {
        self.queue = queue
        self.name = name
        self.configuration = configuration
        self.processing = processing
        self.deadLetters = deadLetters
        self.stop = stop
        self.logger = logger
        self.logger[metadataKey: "amqp.queue"] = "\(queue)"
    }

    /// Consumes until the stop signal is raised and what was delivered is settled.
    func run() {
        var reconnect = Backoff(initial: .milliseconds(200), maximum: .seconds(10))
        while !stop.isRaised {
            do {
                try consumeOnce()
                return
            } catch {
                logger.warning("consumer connection failed; reconnecting", metadata: ["error": "\(error)"])
                sleepUnlessStopped(reconnect.take())
            }
        }
    }

    /// One connection's life: returns after a clean stop, throws when the connection fails.
    private func consumeOnce() throws {
        let (connection, node) = try configuration.brokers().connect(startingAt: nextNode, heartbeatSeconds: configuration.heartbeatSeconds)
        nextNode = node + 1  // should this node go away, look for another one first
        defer { connection.close() }
        let channel = try connection.openChannel(1)
        try channel.setPrefetch(count: UInt16(configuration.prefetch))
        let retryChannel = try connection.openChannel(2)
        try retryChannel.enableConfirms()
        let retries = RetryScheduler(topology: Topology(configuration), windowMilliseconds: Int64(configuration.retryWindowSeconds) * 1000)
        let writer = WriterThread(
            name: "\(name)-writer",
            writer: BatchWriter(queue: queue, retries: retries, processing: processing, deadLetters: deadLetters, logger: logger),
            stop: stop)
        var cleanExit = false
        defer { writer.close(abandon: !cleanExit) }
        var batches = BatchLoop(
            connection: connection, writer: writer,
            sender: SettlementSender(queue: queue, channel: channel, retryChannel: retryChannel, retries: retries),
            batchSize: configuration.batchSize, batchWait: .milliseconds(configuration.batchWaitMilliseconds))

        let consumerTag = try channel.consume(queue: queue)
        logger.info("consuming", metadata: ["amqp.node": "\(connection.url)"])
        while !stop.isRaised {
            try batches.step(idleWait: idleWait)
        }
        try channel.cancel(consumerTag: consumerTag)
        // Deliveries sent before the cancel took effect: settle them rather than hand them back.
        try batches.finish()
        cleanExit = true
        logger.info("consumer stopped")
    }

    private func sleepUnlessStopped(_ duration: Duration) {
        let deadline = ContinuousClock.now + duration
        while !stop.isRaised, ContinuousClock.now < deadline {
            let remaining = deadline - ContinuousClock.now
            blockingSleep(min(remaining, .milliseconds(100)))
        }
    }
}

/// The consumer thread's side of the pipeline: deliveries in, batches to the writer, written
/// batches settled.
struct BatchLoop {
    let connection: AMQPConnection
    let writer: WriterThread
    var sender: SettlementSender
    let batchSize: Int
    let batchWait: Duration
    private var pending: [AMQPDelivery] = []
    private var oldestPending: ContinuousClock.Instant?
    private var submittedAt: ContinuousClock.Instant?

    init(connection: AMQPConnection, writer: WriterThread, sender: SettlementSender, batchSize: Int, batchWait: Duration) {
        self.connection = connection
        self.writer = writer
        self.sender = sender
        self.batchSize = batchSize
        self.batchWait = batchWait
    }

    /// Nothing pending and nothing being written.
    var isIdle: Bool { pending.isEmpty && !writer.isBusy }

    /// Waits for deliveries (at most `idleWait` when there is nothing to do; while the writer
    /// works, a tenth of the time it has worked so far, from 1 to 20 ms, to notice its end soon
    /// without waking a thousand times a second through a long write), reads every delivery
    /// already there, settles a written batch if there is one, and hands the writer the next
    /// batch when it is due.
    mutating func step(idleWait: Duration) throws {
        let wait: Duration
        if writer.isBusy {
            let working = ContinuousClock.now - (submittedAt ?? .now)
            wait = min(.milliseconds(20), max(.milliseconds(1), working / 10))
        } else if let oldestPending {
            wait = max(.milliseconds(1), batchWait - (ContinuousClock.now - oldestPending))
        } else {
            wait = idleWait
        }
        _ = try connection.waitUntilReadable(timeout: wait)
        try readAvailable()
        if let written = writer.takeCompleted() {
            try sender.send(written)
        }
        submitIfDue(flush: false)
    }

    /// Takes every delivery that has arrived, without waiting (this also sends due heartbeats).
    private mutating func readAvailable() throws {
        while let delivery = try connection.consumeMessage(timeout: .zero) {
            if pending.isEmpty { oldestPending = .now }
            pending.append(delivery)
        }
    }

    /// After the consumer is cancelled: takes what is still arriving, then writes and settles
    /// everything pending.
    mutating func finish() throws {
        while let delivery = try connection.consumeMessage(timeout: .milliseconds(100)) {
            pending.append(delivery)
        }
        while !isIdle {
            if let written = writer.takeCompleted() {
                try sender.send(written)
            } else if writer.isBusy, try connection.waitUntilReadable(timeout: .milliseconds(1)) {
                try readAvailable()
            }
            submitIfDue(flush: true)
        }
    }

    private mutating func submitIfDue(flush: Bool) {
        guard !pending.isEmpty, !writer.isBusy else { return }
        let due = flush || pending.count >= batchSize || oldestPending.map { ContinuousClock.now - $0 >= batchWait } ?? true
        guard due else { return }
        let count = min(batchSize, pending.count)
        writer.submit(Array(pending[..<count]))
        submittedAt = .now
        pending.removeFirst(count)
        oldestPending = pending.isEmpty ? nil : .now
    }
}
