import AMQPClient
import JobHuntEvents
import JobHuntHandlers

/// Where a consumer records the messages that can never succeed as they are (contract §6).
/// The writer acks such a message only once `record` has returned: the record is committed.
protocol DeadLetterRecorder: Sendable {
    /// Records `failure` (a new record, or the same message's record updated) and returns the
    /// record's id. Throws only when the storage cannot be reached: the writer then waits
    /// the outage out and records again.
    func record(_ failure: FailedDelivery) throws(StorageUnavailable) -> String
}

/// A delivery the consumer gives up on, and why: what a dead-letter record is made of.
struct FailedDelivery: Sendable {
    /// The message as it arrived: its body, headers and content type are kept exactly.
    let delivery: AMQPDelivery
    /// The event's `id`, when it could be read.
    let eventID: String?
    /// The event's `type`, when it could be read.
    let eventType: String?
    /// The contract's reason.
    let reason: DeadLetterReason
    /// What exactly is wrong, for an operator.
    let detail: String
    /// The queue that gave up on it.
    let queue: String
    /// The routing key its producer used (a replay publishes with it again).
    let routingKey: String
    /// The event's tracing attributes, when it had usable ones.
    var trace: TraceAttributes? = nil
}
