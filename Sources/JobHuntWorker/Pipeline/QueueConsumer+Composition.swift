import JobHuntStore
import Logging

extension QueueConsumer {
    /// A consumer of `queue` on a node of `brokers`, recording dead letters in
    /// `deadLetters`: the production pieces behind the consumer's seams.
    convenience init(
        queue: String, name: String, configuration: WorkerConfiguration, brokers: Brokers, processing: DeliveryProcessing,
        deadLetters: DeadLetterStore, hooks: PipelineHooks, stop: StopSignal, logger: Logger
    ) {
        var logger = logger
        logger[metadataKey: "amqp.queue"] = "\(queue)"
        let cursor = BrokerCursor(brokers)
        let retries = RetryScheduler(topology: Topology(configuration), windowMilliseconds: Int64(configuration.retryWindowSeconds) * 1000)
        let writer = BatchWriter(
            queue: queue, retries: retries, processing: processing, deadLetters: MongoDeadLetterRecorder(store: deadLetters), logger: logger)
        self.init(
            queue: queue, name: name,
            settings: .init(batchSize: configuration.batchSize, batchWait: .milliseconds(configuration.batchWaitMilliseconds)),
            writer: writer, hooks: hooks, stop: stop, logger: logger
        ) { [logger] in
            let source = try AMQPDeliverySource.open(queue: queue, configuration: configuration, cursor: cursor, retries: retries)
            logger.info("connected", metadata: ["amqp.node": "\(source.node)"])
            return source
        }
    }
}
