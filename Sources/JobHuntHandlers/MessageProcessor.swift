import JobHuntEvents

/// Turns one message body into an outcome: decode and validate, then handle.
public struct MessageProcessor: Sendable {
    private let handler: EventHandler

    /// A processor that applies valid events with `handler`.
    public init(handler: EventHandler) {
        self.handler = handler
    }

    /// Decodes `body` and applies the event. Throws `StorageUnavailable` only.
    public func process(_ body: [UInt8]) throws(StorageUnavailable) -> ProcessedMessage {
        let event: Event
        do {
            event = try EventDecoder.decode(body)
        } catch {
            return ProcessedMessage(
                eventID: error.eventID, eventType: error.eventType, trace: error.trace,
                outcome: .rejected(DeadLetterReason(error.reason), detail: error.detail))
        }
        let outcome = try handler.handle(event)
        return ProcessedMessage(event.metadata, outcome: outcome)
    }

    /// Decodes every body and applies the valid events as one batch (`EventHandler.handle(batch:)`).
    /// Results are in the order of `bodies`, the same as processing them one by one.
    /// Throws `StorageUnavailable` only; the whole batch may then be processed again.
    public func process(batch bodies: [[UInt8]]) throws(StorageUnavailable) -> [ProcessedMessage] {
        var results = [ProcessedMessage?](repeating: nil, count: bodies.count)
        var events: [(index: Int, event: Event)] = []
        for (index, body) in bodies.enumerated() {
            do {
                events.append((index, try EventDecoder.decode(body)))
            } catch {
                results[index] = ProcessedMessage(
                    eventID: error.eventID, eventType: error.eventType, trace: error.trace,
                    outcome: .rejected(DeadLetterReason(error.reason), detail: error.detail))
            }
        }
        let outcomes = try handler.handle(batch: events.map(\.event))
        for ((index, event), outcome) in zip(events, outcomes) {
            results[index] = ProcessedMessage(event.metadata, outcome: outcome)
        }
        return results.map {
            $0 ?? ProcessedMessage(eventID: nil, eventType: nil, outcome: .rejected(.constraintViolation, detail: "the batch left this message without an outcome"))
        }
    }
}

/// One message's result, with what could be read of its event for logs and dead letters.
public struct ProcessedMessage: Sendable, Hashable {
    /// The event's `id`, when it could be read.
    public let eventID: String?
    /// The event's `type`, when it could be read.
    public let eventType: String?
    /// The event's tracing attributes, when it had usable ones.
    public let trace: TraceAttributes?
    /// The event's `time`, when it could be read: how old the event is once committed.
    public let eventTime: Timestamp?
    /// What handling did.
    public let outcome: HandlingOutcome

    /// A result with these fields.
    public init(
        eventID: String?, eventType: String?, trace: TraceAttributes? = nil, eventTime: Timestamp? = nil, outcome: HandlingOutcome
    ) {
        self.eventTime = eventTime
        self.eventID = eventID
        self.eventType = eventType
        self.trace = trace
        self.outcome = outcome
    }

    /// The result of handling the event with `metadata`.
    init(_ metadata: EventMetadata, outcome: HandlingOutcome) {
        self.init(eventID: metadata.id, eventType: metadata.type.rawValue, trace: metadata.trace, eventTime: metadata.time, outcome: outcome)
    }
}
