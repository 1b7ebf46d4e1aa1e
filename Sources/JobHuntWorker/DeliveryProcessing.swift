import AMQPClient
import JobHuntEvents
import JobHuntHandlers

/// How a consumer turns a batch of deliveries into outcomes: the work queues apply events; the
/// dead queue only tells why a message ended there.
struct DeliveryProcessing: Sendable {
    /// The outcome of each delivery, in order. Throws only when the database is unavailable;
    /// the whole batch may then be processed again.
    let process: @Sendable ([AMQPDelivery]) throws(StorageUnavailable) -> [ProcessedMessage]

    /// Decode, validate and apply the events as one batch.
    static func events(_ processor: MessageProcessor) -> DeliveryProcessing {
        DeliveryProcessing { deliveries throws(StorageUnavailable) in try processor.process(batch: deliveries.map(\.body)) }
    }

    /// Messages the broker dead-lettered (the safety net of contract §3).
    static let deadQueue = DeliveryProcessing { deliveries in deliveries.map(deadLetterCause) }

    /// `poison` when the message hit the delivery limit; when a consumer rejected it, the reason
    /// its body gives, if any.
    private static func deadLetterCause(_ delivery: AMQPDelivery) -> ProcessedMessage {
        let death = delivery.properties.headers["x-death"]?.arrayValue?.first?.tableValue
        let cause = death?["reason"]?.stringValue ?? "unknown"
        let origin = death?["queue"]?.stringValue ?? "its queue"
        let count = death?["count"]?.intValue
        var eventID: String?
        var eventType: String?
        var trace: TraceAttributes?
        var decodingFailure: EventDecodingError?
        do throws(EventDecodingError) {
            let event = try EventDecoder.decode(delivery.body)
            eventID = event.metadata.id
            eventType = event.metadata.type.rawValue
            trace = event.metadata.trace
        } catch {
            eventID = error.eventID
            eventType = error.eventType
            trace = error.trace
            decodingFailure = error
        }
        let outcome: HandlingOutcome
        switch (cause, decodingFailure) {
        case ("rejected", let failure?):
            outcome = .rejected(DeadLetterReason(failure.reason), detail: failure.detail)
        case ("delivery_limit", _):
            outcome = .rejected(.poison, detail: "reached the delivery limit of \(origin)" + (count.map { " (\($0) times)" } ?? "")
                + ": it was delivered again and again without being settled")
        default:
            outcome = .rejected(.poison, detail: "dead-lettered by \(origin) (\(cause))")
        }
        return ProcessedMessage(eventID: eventID, eventType: eventType, trace: trace, outcome: outcome)
    }
}
