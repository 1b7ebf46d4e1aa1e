import AMQPClient
import Logging

/// Consumes one queue in batches and settles every delivery only after its effect is
/// committed. Runs on a dedicated thread (the reader: librabbitmq blocks and is not
/// thread-safe), with a `WriterThread` beside it:
///
/// - The reader takes deliveries from a `DeliverySource` (up to the prefetch) and hands the
///   writer batches; while the writer works, it reads the next batch and answers heartbeats,
///   so broker and database round trips overlap.
/// - The writer (`BatchWriter`) applies a batch and records its dead letters; the reader then
///   publishes the retry copies and acks. Nothing is acked before its write is acknowledged
///   by the database. While the database is unavailable the writer waits it out and the
///   reader keeps the connection alive; the prefetch bounds what is buffered meanwhile.
/// - The connection fails: connect again with growing delays; the broker redelivers what was
///   unacked.
///
/// Every decision is `ConsumerStateMachine`'s; this thread only performs them. On stop it
/// cancels consuming, settles what was already delivered, then closes.
final class QueueConsumer: @unchecked Sendable {
    // @unchecked: immutable; the state of a run lives in `run()`'s locals, on one thread.
    private let queue: String
    private let name: String
    private let settings: ConsumerStateMachine.Settings
    private let writer: BatchWriter
    private let connect: @Sendable () throws -> any DeliverySource
    private let hooks: PipelineHooks
    private let stop: StopSignal
    private let logger: Logger
    private let health: ConsumerHealth

    /// A consumer of `queue` that writes with `writer` and opens each connection with `connect`.
    init(
        queue: String, name: String, settings: ConsumerStateMachine.Settings, writer: BatchWriter, hooks: PipelineHooks,
        stop: StopSignal, logger: Logger, health: ConsumerHealth = .none, connect: @escaping @Sendable () throws -> any DeliverySource
    ) {
        self.health = health
        self.queue = queue
        self.name = name
        self.settings = settings
        self.writer = writer
        self.connect = connect
        self.hooks = hooks
        self.stop = stop
        self.logger = logger
    }

    /// Consumes until the stop signal is raised and what was delivered is settled.
    func run() {
        guard !stop.isRaised else { return }
        let writerThread = WriterThread(name: "\(name)-writer") { [writer] batch, abandon in writer.write(batch, abandon: abandon) }
        defer { writerThread.close() }
        var machine = ConsumerStateMachine(settings)
        var reconnect = OutageRetry(backoff: Backoff(initial: .milliseconds(200), maximum: .seconds(10)), newOutageAfter: .seconds(30))
        // The reconnect delays check `abandonWhen` every few milliseconds: waiting is progress.
        _ = reconnect.run(abandonWhen: { health.readerProgress(); return stop.isRaised }, onFailure: { (error: any Error) in
            logger.warning("consumer connection failed; reconnecting", metadata: ["error": "\(error)"])
        }) { () throws in
            try consumeOnce(&machine, writerThread)
        }
    }

    /// One connection's life: returns after a clean stop, throws when the connection fails
    /// (closing it without acking anything more).
    private func consumeOnce(_ machine: inout ConsumerStateMachine, _ writerThread: WriterThread) throws {
        let source = try connect()
        health.channel(open: true)
        defer {
            health.channel(open: false)
            source.close()
        }
        machine.connected()
        logger.info("consuming")
        do {
            while true {
                health.readerProgress()
                if stop.isRaised, !machine.isStopping {
                    try perform(machine.stopRequested(now: .now), source, writerThread)
                }
                if machine.isFinished(now: .now) { break }
                try step(&machine, source, writerThread)
            }
        } catch {
            // Only the writer hears of it: there is no connection left to tell anything.
            try? perform(machine.connectionLost(), nil, writerThread)
            throw error
        }
        logger.info("consumer stopped")
    }

    /// Waits for deliveries as long as the machine allows, reads every delivery already there,
    /// settles a written batch if there is one, and hands the writer the next batch if one is due.
    private func step(_ machine: inout ConsumerStateMachine, _ source: any DeliverySource, _ writerThread: WriterThread) throws {
        _ = try source.waitUntilReadable(timeout: machine.waitTimeout(now: .now))
        while let delivery = try source.nextDelivery() {
            machine.delivered(delivery, now: .now)
        }
        if let written = writerThread.takeCompleted() {
            try settle(written, machine.batchWritten(written.settlements), source)
        }
        if let batch = machine.nextBatch(now: .now) {
            writerThread.submit(batch)
        }
    }

    private func settle(_ written: WrittenBatch, _ steps: [SettlementStep], _ source: any DeliverySource) throws {
        guard !steps.isEmpty else { return }
        try hooks.afterWrite?(queue, written.deliveries)
        var copied: [AMQPDelivery] = []
        for step in steps {
            switch step {
            case .publishRetryCopy(let delivery, let seconds):
                try source.publishRetryCopy(of: delivery, afterSeconds: seconds)
                copied.append(delivery)
            case .confirmRetryCopies:
                try source.confirmRetryCopies()
                try hooks.afterRetryConfirm?(queue, copied)
            case .ack(let tag, let multiple):
                try source.ack(deliveryTag: tag, multiple: multiple)
            }
        }
    }

    private func perform(_ actions: [ConsumerStateMachine.Action], _ source: (any DeliverySource)?, _ writerThread: WriterThread) throws {
        for action in actions {
            switch action {
            case .cancelConsuming: try source?.cancelConsuming()
            case .abandonOutages: writerThread.abandonOutages()
            case .abandonBatchInWriter: writerThread.abandonBatchInFlight()
            }
        }
    }
}
