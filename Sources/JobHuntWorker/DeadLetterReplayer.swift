import AMQPClient
import JobHuntEvents
import JobHuntStore

/// `dlq replay`: publishes dead letters again, to the exchange with their original routing key,
/// body and headers, with publisher confirms; only a confirmed message is marked `replayed`.
///
/// A crash between the confirm and the mark can publish a message twice: the idempotent
/// handlers absorb that. Running the same replay again finds nothing left `dead`.
public struct DeadLetterReplayer {
    private let configuration: WorkerConfiguration
    private let store: DeadLetterStore
    private let pageSize: Int

    /// A replayer publishing with `configuration` the dead letters of `store`.
    public init(configuration: WorkerConfiguration, store: DeadLetterStore, pageSize: Int = 200) {
        self.configuration = configuration
        self.store = store
        self.pageSize = pageSize
    }

    /// Replays every `dead` record matching `filter` (with `dryRun`, only reports them). Calls
    /// `progress(done, total)` after each page and `each` for each record handled. Returns how
    /// many were replayed (or would be).
    public func replay(
        _ filter: DeadLetterFilter, dryRun: Bool,
        progress: (Int, Int) -> Void = { _, _ in }, each: (DeadLetter) -> Void = { _ in }
    ) throws -> Int {
        var deadOnly = filter
        deadOnly.status = .dead
        let total = try store.count(deadOnly)
        let channel: AMQPChannel? = dryRun ? nil : try openConfirmingChannel()
        defer { channel?.connection.close() }
        var done = 0
        var lastID: String?
        while true {
            let page = try store.page(deadOnly, after: lastID, limit: pageSize)
            guard let last = page.last else { break }
            lastID = last.id
            if let channel { try publish(page, on: channel) }
            page.forEach(each)
            done += page.count
            progress(done, total)
        }
        return done
    }

    private func openConfirmingChannel() throws -> AMQPChannel {
        let channel = try AMQPConnection(url: AMQPURL(configuration.amqpURL), heartbeatSeconds: 0).openChannel(1)
        try channel.enableConfirms()
        return channel
    }

    /// Publishes a page, waits for every confirm, then marks the confirmed records replayed.
    private func publish(_ page: [DeadLetter], on channel: AMQPChannel) throws {
        var sequenceNumbers: [UInt64: String] = [:]
        for record in page {
            var properties = AMQPMessageProperties(
                contentType: record.contentType ?? EventPublisher.contentType, deliveryMode: .persistent,
                messageID: record.eventID, type: record.eventType)
            properties.headers = record.amqpHeaders
            for header in RetryScheduler.transientHeaders { properties.headers[header] = nil }
            let sequence = try channel.publish(
                exchange: configuration.exchange, routingKey: record.routingKey, body: record.body, properties: properties, mandatory: true)
            sequenceNumbers[sequence] = record.id
        }
        let confirms = try channel.waitForConfirms(timeout: .seconds(60))
        let failed = Set(confirms.failures.map(\.sequenceNumber))
        let now = Timestamp.now().millisecondsSinceEpoch
        for (sequence, id) in sequenceNumbers where !failed.contains(sequence) {
            try store.markReplayed(id: id, now: now)
        }
        if let failure = confirms.failures.first {
            throw PublishError(description: "\(confirms.failures.count) dead letters were not accepted by the broker (first: \(failure.reason)); they stay dead")
        }
    }
}
