import AMQPClient
import JobHuntEvents
import JobHuntHandlers
import JobHuntStore
import Logging

/// How the reader settles one delivery once its batch is written.
enum Settlement: Sendable, Equatable {
    /// Its effect, its no-op or its dead-letter record is committed: ack it.
    case ack
    /// Its reference is missing: publish a copy to the delay queue of this many seconds, then ack.
    case retry(afterSeconds: Int)
}

/// The database side of a consumer: writes one batch's effects and dead-letter records, and
/// says how each delivery is to be settled. Runs on the consumer's writer thread and never
/// touches the AMQP connection.
///
/// While the database is unavailable it retries the batch with growing delays (every step is
/// idempotent). A delivery it gives up on, because the consumer is stopping or its connection
/// has gone, has no settlement (nil): it stays unacked and the broker delivers it again.
struct BatchWriter: Sendable {
    let queue: String
    let retries: RetryScheduler
    let processing: DeliveryProcessing
    let deadLetters: DeadLetterStore
    let logger: Logger

    /// The settlement of each delivery of `batch`, in order; nil where `abandon()` became
    /// true during an outage.
    func write(_ batch: [AMQPDelivery], abandon: () -> Bool) -> [Settlement?] {
        let start = ContinuousClock.now
        guard let results = retryingWhileUnavailable(abandon, { () throws(StorageUnavailable) in try processing.process(batch) }) else {
            return Array(repeating: nil, count: batch.count)
        }
        let settlements = zip(batch, results).map { delivery, result in settlement(delivery, result, abandon: abandon) }
        logger.debug("batch written", metadata: [
            "batch.size": "\(batch.count)", "batch.ms": "\((ContinuousClock.now - start).milliseconds)",
        ])
        return settlements
    }

    private func settlement(_ delivery: AMQPDelivery, _ result: ProcessedMessage, abandon: () -> Bool) -> Settlement? {
        var metadata: Logger.Metadata = ["amqp.routing_key": "\(delivery.routingKey)"]
        if let id = result.eventID { metadata["event.id"] = "\(id)" }
        if let type = result.eventType { metadata["event.type"] = "\(type)" }
        switch result.outcome {
        case .applied:
            logger.trace("applied", metadata: metadata)
            return .ack
        case .unchanged(let reason):
            metadata["outcome"] = "\(reason.rawValue)"
            logger.trace("unchanged", metadata: metadata)
            return .ack
        case .retryLater(let detail):
            switch retries.decide(headers: delivery.properties.headers, now: Timestamp.now().millisecondsSinceEpoch) {
            case .retry(let seconds):
                metadata["detail"] = "\(detail)"
                metadata["retry.delay_s"] = "\(seconds)"
                logger.trace("reference missing; retrying later", metadata: metadata)
                return .retry(afterSeconds: seconds)
            case .giveUp:
                return deadLetter(delivery, result, .missingReference, "\(detail), still after the retry window", metadata, abandon)
            }
        case .rejected(let reason, let detail):
            return deadLetter(delivery, result, reason, detail, metadata, abandon)
        }
    }

    /// Records the delivery in `dead_letters` (committed); then it may be acked.
    private func deadLetter(
        _ delivery: AMQPDelivery, _ result: ProcessedMessage, _ reason: DeadLetterReason, _ detail: String,
        _ metadata: Logger.Metadata, _ abandon: () -> Bool
    ) -> Settlement? {
        // On the dead queue, the queue that gave up on the message is the one that matters.
        let deathQueue = delivery.properties.headers["x-death"]?.arrayValue?.first?.tableValue?["queue"]?.stringValue
        let origin = queue == retries.topology.deadQueue ? deathQueue ?? queue : queue
        let failure = DeadLetterFailure(
            eventID: result.eventID, eventType: result.eventType, reason: reason, detail: detail,
            queue: origin, routingKey: RetryScheduler.originalRoutingKey(of: delivery), body: delivery.body,
            headers: HeaderDocument.document(from: delivery.properties.headers), contentType: delivery.properties.contentType)
        let recorded = retryingWhileUnavailable(abandon) { () throws(StorageUnavailable) in
            do {
                return try deadLetters.record(failure, now: Timestamp.now().millisecondsSinceEpoch)
            } catch let unavailable as StorageUnavailable {
                throw unavailable
            } catch {
                throw StorageUnavailable("recording a dead letter: \(error)")
            }
        }
        guard let id = recorded else { return nil }
        var metadata = metadata
        metadata["reason"] = "\(reason.rawValue)"
        metadata["detail"] = "\(detail)"
        metadata["dead_letter.id"] = "\(id)"
        logger.warning("dead letter recorded", metadata: metadata)
        return .ack
    }

    /// `body`'s value, trying again with growing delays while the database is unavailable;
    /// nil once `abandon()` is true.
    private func retryingWhileUnavailable<T>(_ abandon: () -> Bool, _ body: () throws(StorageUnavailable) -> T) -> T? {
        var backoff = Backoff()
        while true {
            do {
                return try body()
            } catch {
                logger.warning("database unavailable; will retry", metadata: ["error": "\(error)"])
                let deadline = ContinuousClock.now + backoff.take()
                while ContinuousClock.now < deadline {
                    if abandon() { return nil }
                    blockingSleep(min(deadline - ContinuousClock.now, .milliseconds(50)))
                }
                if abandon() { return nil }
            }
        }
    }
}

extension Duration {
    /// Whole milliseconds, for logs.
    var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
