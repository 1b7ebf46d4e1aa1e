import AMQPClient
import JobHuntEvents
import JobHuntHandlers
import Logging
import Synchronization

/// The database side of a consumer: writes one batch's effects and dead-letter records, and
/// says how each delivery is to be settled. Runs on the consumer's writer thread and never
/// touches the broker.
///
/// While the database is unavailable it retries with growing delays (every step is
/// idempotent). A delivery it gives up on, because the consumer is stopping or its connection
/// has gone, has no settlement (nil): it stays unacked and the broker delivers it again.
struct BatchWriter: Sendable {
    let queue: String
    let retries: RetryScheduler
    let processing: DeliveryProcessing
    let deadLetters: any DeadLetterRecorder
    let logger: Logger
    /// Where the writer says it works, and that the database answered.
    var health = ConsumerHealth.none
    /// Whether the database was unavailable at this writer's last step.
    private let outage = OutageMemory()

    /// The settlement of each delivery of `batch`, in order; nil where `abandon()` became
    /// true during an outage.
    func write(_ batch: [AMQPDelivery], abandon: () -> Bool) -> [Settlement?] {
        let start = ContinuousClock.now
        health.writerProgress()
        defer { health.writerIdle() }
        // Waiting out an outage checks `abandon` every few milliseconds: that is progress too.
        func progressing() -> Bool {
            health.writerProgress()
            return abandon()
        }
        guard let results = waitingOutOutages(progressing, { () throws(StorageUnavailable) in try processing.process(batch) }) else {
            return Array(repeating: nil, count: batch.count)
        }
        health.databaseAnswered()
        let settlements = zip(batch, results).map { delivery, result in settlement(delivery, result, abandon: progressing) }
        let duration = ContinuousClock.now - start
        count(results, settlements)
        WorkerMetrics.batchDuration(queue: queue, duration)
        logger.debug("batch written", metadata: ["batch.size": "\(batch.count)", "batch.ms": "\(duration.milliseconds)"])
        return settlements
    }

    /// `jobhunt_events_total` and `jobhunt_event_age_seconds` for the settled events of a batch
    /// (one left unsettled is delivered again and counted then).
    private func count(_ results: [ProcessedMessage], _ settlements: [Settlement?]) {
        let committed = Timestamp.now().millisecondsSinceEpoch
        var outcomes: [EventOutcomeKey: Int] = [:]
        var ages: [String: [Int64]] = [:]
        for (result, settlement) in zip(results, settlements) {
            guard let settlement else { continue }
            let outcome: WorkerMetrics.Outcome
            switch (result.outcome, settlement) {
            case (.applied, _): outcome = .applied
            case (.unchanged, _): outcome = .unchanged
            case (.retryLater, .retry): outcome = .retried
            case (.retryLater, .ack), (.rejected, _): outcome = .deadLettered
            }
            let key = EventOutcomeKey(type: result.eventType, outcome: outcome)
            outcomes[key, default: 0] += 1
            if outcome == .applied || outcome == .unchanged, let time = result.eventTime {
                ages[key.type, default: []].append(committed - time.millisecondsSinceEpoch)
            }
        }
        WorkerMetrics.events(outcomes)
        for (type, milliseconds) in ages { WorkerMetrics.eventAges(type: type, milliseconds: milliseconds) }
    }

    private func settlement(_ delivery: AMQPDelivery, _ result: ProcessedMessage, abandon: () -> Bool) -> Settlement? {
        switch result.outcome {
        case .applied:
            logger.trace("applied", metadata: Self.metadata(delivery, result))
            return .ack
        case .unchanged(let reason):
            logger.trace("unchanged", metadata: Self.metadata(delivery, result, ["outcome": "\(reason.rawValue)"]))
            return .ack
        case .retryLater(let detail):
            switch retries.decide(headers: delivery.properties.headers, now: Timestamp.now().millisecondsSinceEpoch) {
            case .retry(let seconds):
                logger.trace("reference missing; retrying later", metadata: Self.metadata(delivery, result, [
                    "detail": "\(detail)", "retry.delay_s": "\(seconds)",
                ]))
                return .retry(afterSeconds: seconds)
            case .giveUp:
                return deadLetter(delivery, result, .missingReference, "\(detail), still after the retry window", abandon)
            }
        case .rejected(let reason, let detail):
            return deadLetter(delivery, result, reason, detail, abandon)
        }
    }

    /// Records the delivery as a dead letter (committed); then it may be acked.
    private func deadLetter(
        _ delivery: AMQPDelivery, _ result: ProcessedMessage, _ reason: DeadLetterReason, _ detail: String, _ abandon: () -> Bool
    ) -> Settlement? {
        // On the dead queue, the queue that gave up on the message is the one that matters.
        let deathQueue = delivery.properties.headers["x-death"]?.arrayValue?.first?.tableValue?["queue"]?.stringValue
        let origin = queue == retries.topology.deadQueue ? deathQueue ?? queue : queue
        let failure = FailedDelivery(
            delivery: delivery, eventID: result.eventID, eventType: result.eventType, reason: reason, detail: detail,
            queue: origin, routingKey: RetryScheduler.originalRoutingKey(of: delivery), trace: result.trace)
        guard let id = waitingOutOutages(abandon, { () throws(StorageUnavailable) in try deadLetters.record(failure) }) else {
            return nil
        }
        WorkerMetrics.deadLetter(reason)
        logger.warning("dead letter recorded", metadata: Self.metadata(delivery, result, [
            "reason": "\(reason.rawValue)", "detail": "\(detail)", "dead_letter.id": "\(id)",
        ]))
        return .ack
    }

    /// A log line's metadata about one delivery and its event, plus `extra`. Log calls take it
    /// as an autoclosure: it is built (and `traceparent` parsed) only for lines the level shows.
    private static func metadata(_ delivery: AMQPDelivery, _ result: ProcessedMessage, _ extra: Logger.Metadata = [:]) -> Logger.Metadata {
        var metadata: Logger.Metadata = ["amqp.routing_key": "\(delivery.routingKey)"]
        if let id = result.eventID { metadata["event.id"] = "\(id)" }
        if let type = result.eventType { metadata["event.type"] = "\(type)" }
        if let traceID = result.trace?.traceID { metadata["trace.id"] = "\(traceID)" }
        return metadata.merging(extra) { $1 }
    }

    /// `step`'s value, tried again while the database is unavailable; nil once `abandon()` holds.
    /// The first attempt is skipped when `abandon()` already holds and the last step found the
    /// database down: a stop during an outage then ends without waiting out one more attempt
    /// per batch (each can take `serverSelectionTimeoutMS`). With the database up, a stop still
    /// writes what the writer holds.
    private func waitingOutOutages<T>(_ abandon: () -> Bool, _ step: () throws(StorageUnavailable) -> T) -> T? {
        if outage.isOn, abandon() { return nil }
        var retry = OutageRetry(backoff: Backoff(initial: .milliseconds(100), maximum: .seconds(5)))
        let value = retry.run(abandonWhen: abandon, onFailure: { error in
            outage.isOn = true
            logger.warning("database unavailable; will retry", metadata: ["error": "\(error)"])
        }, step)
        if value != nil { outage.isOn = false }
        return value
    }
}

extension Duration {
    /// Whole milliseconds, for logs.
    var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}

/// A flag the writer's copies share: whether the database was found unavailable.
private final class OutageMemory: Sendable {
    private let state = Mutex(false)

    var isOn: Bool {
        get { state.withLock { $0 } }
        set { state.withLock { $0 = newValue } }
    }
}
