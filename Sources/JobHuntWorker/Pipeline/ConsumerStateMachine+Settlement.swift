import AMQPClient

/// One thing the reader does to settle a written batch, in the order given.
enum SettlementStep: Equatable {
    /// Publish a copy of the delivery to the delay queue of this many seconds.
    case publishRetryCopy(AMQPDelivery, afterSeconds: Int)
    /// Wait until the broker has confirmed every copy published; if one was not taken, stop
    /// settling (the originals stay unacked and come back).
    case confirmRetryCopies
    /// Ack this tag, and with `multiple` every earlier tag of the channel too.
    case ack(deliveryTag: UInt64, multiple: Bool)
}

extension ConsumerStateMachine {
    /// The writer is done with the batch it held; `settlements` has one entry per delivery
    /// (nil: leave it unacked). Returns how to settle it: nothing for a batch whose channel was
    /// lost; otherwise the retry copies, one wait for their confirms, then the acks.
    ///
    /// Acks: one multiple-ack for the settled prefix of the batch, then single acks for settled
    /// deliveries after a gap. Batches are settled in delivery order, so every earlier tag is
    /// settled already, until the first delivery left unsettled: from then on this channel
    /// acks one by one, so that a multiple-ack never covers it.
    mutating func batchWritten(_ settlements: [Settlement?]) -> [SettlementStep] {
        guard let batch = inWriter else { preconditionFailure("no batch in the writer") }
        precondition(settlements.count == batch.deliveries.count, "one settlement per delivery")
        inWriter = nil
        guard !batch.channelLost, var channel else { return [] }

        var steps: [SettlementStep] = []
        for (delivery, settlement) in zip(batch.deliveries, settlements) {
            if case .retry(let seconds) = settlement { steps.append(.publishRetryCopy(delivery, afterSeconds: seconds)) }
        }
        if !steps.isEmpty { steps.append(.confirmRetryCopies) }

        let settledPrefix = settlements.firstIndex(where: { $0 == nil }) ?? settlements.count
        if channel.multipleAcksAreSafe, settledPrefix > 0 {
            steps.append(.ack(deliveryTag: batch.deliveries[settledPrefix - 1].deliveryTag, multiple: true))
        } else {
            steps += batch.deliveries[..<settledPrefix].map { .ack(deliveryTag: $0.deliveryTag, multiple: false) }
        }
        if settledPrefix < settlements.count {
            channel.multipleAcksAreSafe = false
            for index in settledPrefix..<settlements.count where settlements[index] != nil {
                steps.append(.ack(deliveryTag: batch.deliveries[index].deliveryTag, multiple: false))
            }
        }
        self.channel = channel
        return steps
    }
}
