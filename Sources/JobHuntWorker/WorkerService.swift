import JobHuntHandlers
import JobHuntStore
import Logging
import ServiceLifecycle

/// The consuming worker as a `Service`: `consumersPerQueue` consumers per work queue, and one on the dead queue
/// that records what the broker dead-lettered, each on its own thread.
/// On graceful shutdown (SIGTERM/SIGINT through a `ServiceGroup`) every consumer stops taking
/// new deliveries, settles what it holds, and closes; `run()` returns when all have.
public struct WorkerService: Service {
    private let configuration: WorkerConfiguration
    private let processor: MessageProcessor
    private let deadLetters: DeadLetterStore
    private let logger: Logger
    private let prepare: (@Sendable () throws -> Void)?
    private let hooks: PipelineHooks

    /// A worker that applies messages with `processor` and records dead letters in `deadLetters`.
    /// `prepare` (the declarations) runs first, inside the service, so that a SIGTERM arriving
    /// while it runs is a graceful shutdown too. `hooks` let tests stop the consumers at fixed points.
    public init(
        configuration: WorkerConfiguration, processor: MessageProcessor, deadLetters: DeadLetterStore, logger: Logger,
        prepare: (@Sendable () throws -> Void)? = nil, hooks: PipelineHooks = PipelineHooks()
    ) {
        self.configuration = configuration
        self.processor = processor
        self.deadLetters = deadLetters
        self.logger = logger
        self.prepare = prepare
        self.hooks = hooks
    }

    public func run() async throws {
        if let prepare {
            logger.info("declaring topology and indexes")
            try await DedicatedThread.run(name: "prepare") { Result { try prepare() } }.get()
            if Task.isShuttingDownGracefully || Task.isCancelled { return }
        }
        let stop = StopSignal()
        let topology = Topology(configuration)
        let workConsumers = topology.workQueues.flatMap { queue in
            (1...configuration.consumersPerQueue).map { number in
                QueueConsumer(
                    queue: queue, name: "\(queue)-\(number)", configuration: configuration, processing: .events(processor),
                    deadLetters: deadLetters, hooks: hooks, stop: stop, logger: logger)
            }
        }
        let consumers = workConsumers + [
            QueueConsumer(
                queue: topology.deadQueue, name: topology.deadQueue, configuration: configuration, processing: .deadQueue,
                deadLetters: deadLetters, hooks: hooks, stop: stop, logger: logger),
        ]
        logger.info("worker started", metadata: ["config": "\(configuration)"])
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await withTaskGroup(of: Void.self) { group in
                    for (index, consumer) in consumers.enumerated() {
                        group.addTask { await DedicatedThread.run(name: "consumer-\(index)") { consumer.run() } }
                    }
                }
            } onGracefulShutdown: {
                logger.info("shutting down: settling in-flight messages")
                stop.raise()
            }
        } onCancel: {
            stop.raise()
        }
        logger.info("worker stopped")
    }
}
