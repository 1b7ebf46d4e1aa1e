import JobHuntHandlers
import JobHuntStore
import Logging
import ServiceLifecycle
import Synchronization

/// The consuming worker as a `Service`: `consumersPerQueue` consumers per work queue, and one on the dead queue
/// that records what the broker dead-lettered, each on its own thread.
/// On graceful shutdown (SIGTERM/SIGINT through a `ServiceGroup`) every consumer stops taking
/// new deliveries, settles what it holds, and closes; `run()` returns when all have. With a
/// drain limit (the `run` command's), a drain that overstays it ends the process (`DrainDeadline`).
public struct WorkerService: Service {
    private let configuration: WorkerConfiguration
    private let processor: MessageProcessor
    private let deadLetters: DeadLetterStore
    private let logger: Logger
    private let prepare: (@Sendable () throws -> Void)?
    private let hooks: PipelineHooks
    private let drainLimit: Duration?
    private let health: HealthBoard

    /// A worker that applies messages with `processor` and records dead letters in `deadLetters`.
    /// `prepare` (the declarations) runs first, inside the service, so that a SIGTERM arriving
    /// while it runs is a graceful shutdown too. `hooks` let tests stop the consumers at fixed points.
    /// `drainLimit`: how long a shutdown may take before the process exits regardless (nil: as
    /// long as it takes; a worker inside another process, such as a test, must not exit it).
    /// `health`: where the consumers report, for the operations endpoints.
    public init(
        configuration: WorkerConfiguration, processor: MessageProcessor, deadLetters: DeadLetterStore, logger: Logger,
        prepare: (@Sendable () throws -> Void)? = nil, hooks: PipelineHooks = PipelineHooks(), drainLimit: Duration? = nil,
        health: HealthBoard = HealthBoard()
    ) {
        self.health = health
        self.drainLimit = drainLimit
        self.configuration = configuration
        self.processor = processor
        self.deadLetters = deadLetters
        self.logger = logger
        self.prepare = prepare
        self.hooks = hooks
    }

    public func run() async throws {
        if let prepare {
            guard try await prepareOnceReachable(prepare) else { return }
        }
        let stop = StopSignal()
        let brokers = try configuration.brokers()
        let deadline = Mutex<DrainDeadline?>(nil)
        let topology = Topology(configuration)
        let workConsumers = topology.workQueues.flatMap { queue in
            (1...configuration.consumersPerQueue).map { number in
                QueueConsumer(
                    queue: queue, name: "\(queue)-\(number)", configuration: configuration, brokers: brokers, processing: .events(processor),
                    deadLetters: deadLetters, hooks: hooks, stop: stop, logger: logger, health: health)
            }
        }
        let consumers = workConsumers + [
            QueueConsumer(
                queue: topology.deadQueue, name: topology.deadQueue, configuration: configuration, brokers: brokers, processing: .deadQueue,
                deadLetters: deadLetters, hooks: hooks, stop: stop, logger: logger, health: health),
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
                deadline.withLock { $0 = drainLimit.map { DrainDeadline(limit: $0, logger: logger) } }
                stop.raise()
            }
        } onCancel: {
            stop.raise()
        }
        deadline.withLock { $0?.drainFinished() }
        logger.info("worker stopped")
    }

    /// Runs `prepare`, and again with growing delays (1 s doubling to 30 s) for as long as
    /// the broker or the database cannot be reached: after a power cut nobody chooses the order
    /// in which services come back (contract §1). Returns false when a shutdown was asked for
    /// meanwhile, at once, even in the middle of an attempt; throws a failure that waiting
    /// cannot fix.
    private func prepareOnceReachable(_ prepare: @escaping @Sendable () throws -> Void) async throws -> Bool {
        var backoff = Backoff(initial: .seconds(1), maximum: .seconds(30))
        var attempt = 1
        while true {
            logger.info("declaring topology and indexes", metadata: ["attempt": "\(attempt)"])
            let result = await cancelWhenGracefulShutdown {
                await DedicatedThread.runUnlessCancelled(name: "prepare") { Result { try prepare() } }
            }
            guard let result, !Task.isShuttingDownGracefully, !Task.isCancelled else { return false }
            switch result {
            case .success:
                return true
            case .failure(let error) where Reachability.isUnreachable(error):
                let delay = backoff.take()
                logger.warning("broker or database unreachable; waiting before the next attempt", metadata: [
                    "attempt": "\(attempt)", "retry.delay_ms": "\(delay.milliseconds)", "error": "\(error)",
                ])
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: delay) }
                if Task.isShuttingDownGracefully || Task.isCancelled { return false }
                attempt += 1
            case .failure(let error):
                throw error
            }
        }
    }
}
