import JobHuntStore
import Logging

extension QueueConsumer {
    /// A consumer of `queue` on a node of `brokers`, recording dead letters in
    /// `deadLetters`: the production pieces behind the consumer's seams.
    convenience init(
        queue: String, name: String, configuration: WorkerConfiguration, brokers: Brokers, processing: DeliveryProcessing,
        deadLetters: DeadLetterStore, hooks: PipelineHooks, stop: StopSignal, logger: Logger, health: HealthBoard
    ) {
        let health = ConsumerHealth(board: health, name: name, queue: queue)
        var logger = logger
        logger[metadataKey: "amqp.queue"] = "\(queue)"
        let cursor = BrokerCursor(brokers)
        let retries = RetryScheduler(topology: Topology(configuration), windowMilliseconds: Int64(configuration.retryWindowSeconds) * 1000)
        let writer = BatchWriter(
            queue: queue, retries: retries, processing: processing, deadLetters: MongoDeadLetterRecorder(store: deadLetters), logger: logger, health: health)
        self.init(
            queue: queue, name: name,
            settings: .init(batchSize: configuration.batchSize, batchWait: .milliseconds(configuration.batchWaitMilliseconds)),
            writer: writer, hooks: hooks, stop: stop, logger: logger, health: health
        ) { [logger] in
            let source = try AMQPDeliverySource.open(queue: queue, configuration: configuration, cursor: cursor, retries: retries)
            logger.info("connected", metadata: ["amqp.node": "\(source.node)"])
            return source
        }
    }
}
