import AMQPClient
import JobHuntEvents
import JobHuntStore

/// `dlq replay`: publishes dead letters again, to the exchange with their original routing key,
/// body and headers, with publisher confirms; only a confirmed message is marked `replayed`.
///
/// A crash between the confirm and the mark can publish a message twice: the idempotent
/// handlers absorb that. Running the same replay again finds nothing left `dead`. A copy that a
/// worker fails again before the mark keeps its record `dead` (`DeadLetterStore.markReplayed`).
public struct DeadLetterReplayer {
    private let configuration: WorkerConfiguration
    private let store: DeadLetterStore
    private let pageSize: Int
    private let afterConfirm: ([DeadLetter]) -> Void

    /// A replayer publishing with `configuration` the dead letters of `store`. `afterConfirm`
    /// runs after the broker confirmed a page and before its records are marked: the seam where
    /// a test lets a worker fail the copies first.
    public init(
        configuration: WorkerConfiguration, store: DeadLetterStore, pageSize: Int = 200,
        afterConfirm: @escaping ([DeadLetter]) -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.store = store
        self.pageSize = pageSize
        self.afterConfirm = afterConfirm
    }

    /// Replays the `dead` records matching `filter`, in id order: all of them, or the first
    /// `limit`, at most `rate` per second (`ReplayPacer`). With `dryRun` it only reports them
    /// (and does not pace: nothing is published). Calls `progress(done, total)` after each page
    /// and `each` for each record handled. Returns how many were replayed (or would be).
    public func replay(
        _ filter: DeadLetterFilter, dryRun: Bool, limit: Int? = nil, rate: Double? = nil,
        progress: (Int, Int) -> Void = { _, _ in }, each: (DeadLetter) -> Void = { _ in }
    ) throws -> Int {
        var deadOnly = filter
        deadOnly.status = .dead
        let total = min(try store.count(deadOnly), limit ?? .max)
        let channel: AMQPChannel? = dryRun ? nil : try openConfirmingChannel()
        defer { channel?.connection.close() }
        let batchSize = dryRun ? pageSize : ReplayPacer.batchSize(rate: rate, pageSize: pageSize)
        var pacer = ReplayPacer(rate: dryRun ? nil : rate)
        var done = 0
        var lastID: String?
        while done < limit ?? .max {
            let page = try store.page(deadOnly, after: lastID, limit: min(batchSize, (limit ?? .max) - done))
            guard let last = page.last else { break }
            lastID = last.id
            if let channel { try publish(page, on: channel, pacer: &pacer) }
            page.forEach(each)
            done += page.count
            progress(done, total)
        }
        return done
    }

    private func openConfirmingChannel() throws -> AMQPChannel {
        let channel = try configuration.brokers().connect().connection.openChannel(1)
        try channel.enableConfirms()
        return channel
    }

    /// Publishes a page, waits for every confirm, then marks the confirmed records replayed.
    private func publish(_ page: [DeadLetter], on channel: AMQPChannel, pacer: inout ReplayPacer) throws {
        var sequenceNumbers: [UInt64: DeadLetter] = [:]
        for record in page {
            pacer.waitForTurn()
            var properties = AMQPMessageProperties(
                contentType: record.contentType ?? EventPublisher.contentType, deliveryMode: .persistent,
                messageID: record.eventID, type: record.eventType)
            properties.headers = record.amqpHeaders
            for header in RetryScheduler.transientHeaders { properties.headers[header] = nil }
            let sequence = try channel.publish(
                exchange: configuration.exchange, routingKey: record.routingKey, body: record.body, properties: properties, mandatory: true)
            sequenceNumbers[sequence] = record
        }
        let confirms = try channel.waitForConfirms(timeout: .seconds(60))
        let failed = Set(confirms.failures.map(\.sequenceNumber))
        let confirmed = sequenceNumbers.filter { !failed.contains($0.key) }.map(\.value)
        afterConfirm(confirmed)
        let now = Timestamp.now().millisecondsSinceEpoch
        for record in confirmed {
            try store.markReplayed(id: record.id, attempts: record.attempts, now: now)
        }
        if let failure = confirms.failures.first {
            throw PublishError(description: "\(confirms.failures.count) dead letters were not accepted by the broker (first: \(failure.reason)); they stay dead")
        }
    }
}
