import AMQPClient
import JobHuntTesting
@testable import JobHuntWorker
import Logging
import Synchronization
import Testing

/// A `QueueConsumer` of queue `t.jobs` over fakes: sources handed out one per connection, a
/// fake database, all writing to one journal. Batches of 3, a 5 ms batch wait.
final class ConsumerRig: Sendable {
    let journal = Journal()
    let database: FakeDatabase
    let stop = StopSignal()
    /// The sources, in the order the consumer gets them.
    let sources: [FakeDeliverySource]
    let consumer: QueueConsumer

    init(hooks: (Journal) -> PipelineHooks = { _ in PipelineHooks() }, sources: (Journal) -> [FakeDeliverySource]) {
        database = FakeDatabase(journal: journal)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let writer = BatchWriter(
            queue: "t.jobs", retries: RetryScheduler(topology: Topology(WorkerConfiguration()), windowMilliseconds: 300_000),
            processing: database.processing, deadLetters: database.recorder, logger: logger)
        self.sources = sources(journal)
        let broker = FakeBroker(self.sources)
        consumer = QueueConsumer(
            queue: "t.jobs", name: "t.jobs-1",
            settings: .init(batchSize: 3, batchWait: .milliseconds(5), idleWait: .milliseconds(20), quietAfterStop: .milliseconds(50)),
            writer: writer, hooks: hooks(journal), stop: stop, logger: logger, connect: broker.connect)
    }

    /// Runs the consumer on a thread of its own, started at once (not through the concurrency
    /// pool, which the integration tests beside can keep busy).
    func start() -> Running {
        let running = Running()
        startThread(named: "t.jobs-1") { [consumer] in
            consumer.run()
            running.finished()
        }
        return running
    }

    /// Raises the stop signal and waits for the consumer to return (a minute at most).
    func stopAndWait(_ running: Running) async {
        stop.raise()
        #expect(await eventually { running.isDone }, "the consumer did not return after the stop")
    }
}

/// Whether a consumer's `run()` has returned.
final class Running: Sendable {
    private let done = Atomic<Bool>(false)

    var isDone: Bool { done.load(ordering: .acquiring) }

    func finished() { done.store(true, ordering: .releasing) }
}

/// True the first time only: a hook that crashes once.
final class Once: Sendable {
    private let fired = Atomic<Bool>(false)

    var first: Bool { !fired.exchange(true, ordering: .relaxed) }
}

/// What a hook throws to stop the consumer at its point.
struct SimulatedCrash: Error {}
