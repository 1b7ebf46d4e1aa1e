import AMQPClient
import JobHuntEvents

/// The broker side of settling a written batch, on the consumer's connection: publishes the
/// retry copies (all, then one wait for their confirms), then acks.
///
/// Acks: one multiple-ack for the settled prefix of the batch, then single acks for settled
/// deliveries after a gap. Batches are settled in delivery order, so every earlier tag is
/// settled already, until the first delivery left unsettled: from then on this channel acks
/// one by one, so that a multiple-ack never covers it.
struct SettlementSender {
    let queue: String
    let channel: AMQPChannel
    let retryChannel: AMQPChannel
    let retries: RetryScheduler
    private var multipleAcksAreSafe = true

    init(queue: String, channel: AMQPChannel, retryChannel: AMQPChannel, retries: RetryScheduler) {
        self.queue = queue
        self.channel = channel
        self.retryChannel = retryChannel
        self.retries = retries
    }

    mutating func send(_ batch: WrittenBatch) throws {
        let now = Timestamp.now().millisecondsSinceEpoch
        var copies = 0
        for (delivery, settlement) in zip(batch.deliveries, batch.settlements) {
            if case .retry(let seconds) = settlement {
                try retries.publishCopy(of: delivery, backTo: queue, afterSeconds: seconds, now: now, on: retryChannel)
                copies += 1
            }
        }
        if copies > 0 { try retries.confirm(on: retryChannel) }

        let settledPrefix = batch.settlements.firstIndex(where: { $0 == nil }) ?? batch.settlements.count
        if multipleAcksAreSafe, settledPrefix > 0 {
            try channel.ack(deliveryTag: batch.deliveries[settledPrefix - 1].deliveryTag, multiple: true)
        } else {
            for delivery in batch.deliveries[..<settledPrefix] {
                try channel.ack(deliveryTag: delivery.deliveryTag)
            }
        }
        guard settledPrefix < batch.deliveries.count else { return }
        multipleAcksAreSafe = false
        for index in settledPrefix..<batch.deliveries.count where batch.settlements[index] != nil {
            try channel.ack(deliveryTag: batch.deliveries[index].deliveryTag)
        }
    }
}
