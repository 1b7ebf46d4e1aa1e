import AMQPClient
import JobHuntHandlers

/// Sends a delivery whose reference is missing back to its queue after a growing delay, through
/// the delay queues of `Topology`, until the retry window closes.
///
/// The first attempt's time and the retry count travel in the message's headers, so the
/// window holds across workers and restarts. The copy is published with confirms before the
/// original is acked: a crash in between can only duplicate it, which the handlers absorb.
struct RetryScheduler {
    static let firstAttemptHeader = "jobhunt-first-attempt-ms"
    static let retriesHeader = "jobhunt-retries"
    /// The routing key the producer used: a retried copy travels with its queue's name instead.
    static let routingKeyHeader = "jobhunt-routing-key"
    /// Headers that only mean something inside one pass through the worker and the broker.
    static let transientHeaders: Set<String> = [
        firstAttemptHeader, retriesHeader, routingKeyHeader, Topology.retryDelayHeader,
        "x-death", "x-first-death-exchange", "x-first-death-queue", "x-first-death-reason",
        "x-last-death-exchange", "x-last-death-queue", "x-last-death-reason", "x-delivery-count",
    ]

    /// The routing key the message was first published with.
    static func originalRoutingKey(of delivery: AMQPDelivery) -> String {
        delivery.properties.headers[routingKeyHeader]?.stringValue ?? delivery.routingKey
    }

    /// What to do with a delivery whose reference is missing.
    enum Decision: Equatable {
        /// Wait this long, then try again.
        case retry(afterSeconds: Int)
        /// The window has closed: a dead letter (`missing_reference`).
        case giveUp
    }

    let topology: Topology
    let windowMilliseconds: Int64

    /// The next step for a delivery with these headers, at `now`.
    func decide(headers: AMQPTable, now: Int64) -> Decision {
        let firstAttempt = headers[Self.firstAttemptHeader]?.intValue ?? now
        let retries = Int(headers[Self.retriesHeader]?.intValue ?? 0)
        let remaining = firstAttempt + windowMilliseconds - now
        guard remaining > 0 else { return .giveUp }
        let growing = 1 << min(retries, 16)
        let cap = max(1, min(growing, Int((remaining + 999) / 1000)))
        let delay = Topology.retryDelays.last { $0 <= cap } ?? Topology.retryDelays[0]
        return .retry(afterSeconds: delay)
    }

    /// Publishes a copy of `delivery` to the delay queue of `seconds`, addressed back to
    /// `queue`. The original may be acked once `confirm(on:)` has returned.
    func publishCopy(of delivery: AMQPDelivery, backTo queue: String, afterSeconds seconds: Int, now: Int64, on channel: AMQPChannel) throws {
        var properties = delivery.properties
        let retries = properties.headers[Self.retriesHeader]?.intValue ?? 0
        if properties.headers[Self.firstAttemptHeader] == nil {
            properties.headers[Self.firstAttemptHeader] = .int64(now)
        }
        properties.headers[Self.retriesHeader] = .int64(retries + 1)
        properties.headers[Self.routingKeyHeader] = .string(Self.originalRoutingKey(of: delivery))
        properties.headers[Topology.retryDelayHeader] = .string("\(seconds)s")
        properties.deliveryMode = .persistent
        _ = try channel.publish(exchange: topology.retryExchange, routingKey: queue, body: delivery.body, properties: properties, mandatory: true)
    }

    /// Waits until the broker has confirmed every copy published on `channel`; throws if one
    /// was not taken (then the originals stay unacked and come back).
    func confirm(on channel: AMQPChannel) throws {
        let confirms = try channel.waitForConfirms(timeout: .seconds(30))
        if let failure = confirms.failures.first {
            throw AMQPError(.protocolError, "retry not confirmed: \(failure.reason)")
        }
    }
}
