import AMQPClient
import JobHuntEvents
import JobHuntHandlers
import JobHuntStore
import Logging

/// Consumes one queue on a connection of its own and settles every delivery only after its
/// effect is committed. Runs on a dedicated thread (librabbitmq blocks and is not thread-safe).
///
/// - Applied or unchanged: acked.
/// - Missing reference: sent through a delay queue and acked, until the retry window closes.
/// - A dead letter (also a missing reference after the window): recorded in `dead_letters`,
///   then acked.
/// - The database is unavailable: the delivery stays unacked and is retried with growing
///   delays; meanwhile the loop keeps servicing the connection (heartbeats) and buffers what
///   arrives, so nothing is lost and nothing spins.
/// - The connection fails: reconnect with growing delays; the broker redelivers what was unacked.
///
/// On stop it cancels the consumer, settles what was already delivered, then closes.
final class QueueConsumer: @unchecked Sendable {
    // @unchecked: all mutable state is confined to the thread that calls `run()`.
    private let queue: String
    private let configuration: WorkerConfiguration
    private let processing: DeliveryProcessing
    private let deadLetters: DeadLetterStore
    private let stop: StopSignal
    private var logger: Logger
    private let pollInterval: Duration = .milliseconds(200)

    init(
        queue: String, configuration: WorkerConfiguration, processing: DeliveryProcessing, deadLetters: DeadLetterStore,
        stop: StopSignal, logger: Logger
    ) {
        self.queue = queue
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
        let connection = try AMQPConnection(url: AMQPURL(configuration.amqpURL), heartbeatSeconds: 30)
        defer { connection.close() }
        let channel = try connection.openChannel(1)
        try channel.setPrefetch(count: UInt16(configuration.prefetch))
        let retryChannel = try connection.openChannel(2)
        try retryChannel.enableConfirms()
        let consumerTag = try channel.consume(queue: queue)
        logger.info("consuming")
        var session = DeliverySession(
            queue: queue, channel: channel, retryChannel: retryChannel, connection: connection,
            retries: RetryScheduler(topology: Topology(configuration), windowMilliseconds: Int64(configuration.retryWindowSeconds) * 1000),
            processing: processing, deadLetters: deadLetters, stop: stop, logger: logger)
        while !stop.isRaised {
            if let delivery = try connection.consumeMessage(timeout: pollInterval) {
                session.pending.append(delivery)
            }
            try session.settlePending()
        }
        try channel.cancel(consumerTag: consumerTag)
        // Deliveries sent before the cancel took effect: settle them rather than hand them back.
        while let delivery = try connection.consumeMessage(timeout: .milliseconds(100)) {
            session.pending.append(delivery)
        }
        try session.settlePending()
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

/// The deliveries of one connection awaiting settlement, and how they are settled.
struct DeliverySession {
    let queue: String
    let channel: AMQPChannel
    let retryChannel: AMQPChannel
    let connection: AMQPConnection
    let retries: RetryScheduler
    let processing: DeliveryProcessing
    let deadLetters: DeadLetterStore
    let stop: StopSignal
    let logger: Logger
    var pending: [AMQPDelivery] = []

    /// Settles pending deliveries in order. While the database is unavailable it waits with
    /// growing delays, reading (and buffering) deliveries so the connection stays alive. When
    /// stopping during an outage it returns with the rest unsettled: the broker redelivers them.
    mutating func settlePending() throws {
        var backoff = Backoff()
        var index = 0
        defer { pending.removeFirst(index) }
        while index < pending.count {
            let delivery = pending[index]
            do {
                let result = try processing.process(delivery)
                try settle(delivery, result)
                index += 1
                backoff.reset()
            } catch let unavailable as StorageUnavailable {
                logger.warning("database unavailable; will retry", metadata: ["error": "\(unavailable)"])
                if stop.isRaised { return }
                let deadline = ContinuousClock.now + backoff.take()
                while ContinuousClock.now < deadline, !stop.isRaised {
                    if let more = try connection.consumeMessage(timeout: deadline - ContinuousClock.now) {
                        pending.append(more)
                    }
                }
            }
        }
    }

    private func settle(_ delivery: AMQPDelivery, _ result: ProcessedMessage) throws {
        var metadata: Logger.Metadata = ["amqp.routing_key": "\(delivery.routingKey)"]
        if let id = result.eventID { metadata["event.id"] = "\(id)" }
        if let type = result.eventType { metadata["event.type"] = "\(type)" }
        switch result.outcome {
        case .applied:
            logger.debug("applied", metadata: metadata)
            try channel.ack(deliveryTag: delivery.deliveryTag, multiple: false)
        case .unchanged(let reason):
            metadata["outcome"] = "\(reason.rawValue)"
            logger.debug("unchanged", metadata: metadata)
            try channel.ack(deliveryTag: delivery.deliveryTag, multiple: false)
        case .retryLater(let detail):
            metadata["detail"] = "\(detail)"
            let now = Timestamp.now().millisecondsSinceEpoch
            switch retries.decide(headers: delivery.properties.headers, now: now) {
            case .retry(let seconds):
                metadata["retry.delay_s"] = "\(seconds)"
                logger.debug("reference missing; retrying later", metadata: metadata)
                try retries.schedule(delivery, backTo: queue, afterSeconds: seconds, now: now, on: retryChannel)
                try channel.ack(deliveryTag: delivery.deliveryTag, multiple: false)
            case .giveUp:
                try deadLetter(delivery, result, .missingReference, "\(detail), still after the retry window", metadata: metadata)
            }
        case .rejected(let reason, let detail):
            try deadLetter(delivery, result, reason, detail, metadata: metadata)
        }
    }

    /// Records the delivery in `dead_letters` (committed), then acks it.
    private func deadLetter(
        _ delivery: AMQPDelivery, _ result: ProcessedMessage, _ reason: DeadLetterReason, _ detail: String, metadata: Logger.Metadata
    ) throws {
        // On the dead queue, the queue that gave up on the message is the one that matters.
        let deathQueue = delivery.properties.headers["x-death"]?.arrayValue?.first?.tableValue?["queue"]?.stringValue
        let origin = queue == retries.topology.deadQueue ? deathQueue ?? queue : queue
        let failure = DeadLetterFailure(
            eventID: result.eventID, eventType: result.eventType, reason: reason, detail: detail,
            queue: origin, routingKey: RetryScheduler.originalRoutingKey(of: delivery), body: delivery.body,
            headers: HeaderDocument.document(from: delivery.properties.headers), contentType: delivery.properties.contentType)
        let id = try deadLetters.record(failure, now: Timestamp.now().millisecondsSinceEpoch)
        var metadata = metadata
        metadata["reason"] = "\(reason.rawValue)"
        metadata["detail"] = "\(detail)"
        metadata["dead_letter.id"] = "\(id)"
        logger.warning("dead letter recorded", metadata: metadata)
        try channel.ack(deliveryTag: delivery.deliveryTag, multiple: false)
    }
}
