/// What a connection knows about one of its channels. Guarded by the connection's lock.
final class ChannelState {
    var isOpen = true
    /// Set when the broker closed the channel; every later use throws it.
    var closeError: AMQPError?
    /// Consumers started on this channel and not cancelled yet.
    var consumers: Set<String> = []

    // Publisher confirms.
    var confirmMode = false
    var nextSequence: UInt64 = 1
    var outstanding: Set<UInt64> = []
    /// No outstanding sequence number is below this.
    var lowestOutstanding: UInt64 = 1
    var settledAcks: [UInt64] = []
    var settledNacks: [UInt64] = []
    var settledReturns: [AMQPReturnedMessage] = []
    /// Returns whose confirm has not arrived yet (RabbitMQ sends the return first).
    var returnsAwaitingConfirm: [AMQPReturnedMessage] = []

    /// Allocates the sequence number of a publish that was just sent.
    func recordPublish() -> UInt64 {
        let sequence = nextSequence
        nextSequence += 1
        outstanding.insert(sequence)
        return sequence
    }

    /// Applies a broker `basic.ack`/`basic.nack` (`multiple`: every sequence up to `tag`).
    func settle(tag: UInt64, multiple: Bool, acked: Bool) {
        var settled: [UInt64] = []
        if multiple {
            let upper = min(tag, nextSequence - 1)
            var sequence = lowestOutstanding
            while sequence <= upper {
                if outstanding.remove(sequence) != nil { settled.append(sequence) }
                sequence += 1
            }
        } else if outstanding.remove(tag) != nil {
            settled.append(tag)
        }
        while lowestOutstanding < nextSequence && !outstanding.contains(lowestOutstanding) {
            lowestOutstanding += 1
        }
        // RabbitMQ sends basic.return and then, for the same message, a basic.ack whose tag
        // is that message's sequence number (an unroutable message is confirmed on its own).
        if acked, !returnsAwaitingConfirm.isEmpty {
            var returned = returnsAwaitingConfirm.removeFirst()
            returned.sequenceNumber = tag
            settledReturns.append(returned)
            settled.removeAll { $0 == tag }
        }
        if acked {
            settledAcks += settled
        } else {
            settledNacks += settled
        }
    }

    /// Records a `basic.return`. Without confirm mode there is nothing to report it to.
    func recordReturn(_ returned: AMQPReturnedMessage) {
        guard confirmMode else { return }
        returnsAwaitingConfirm.append(returned)
    }

    /// Hands over everything settled since the last call.
    func takeSettled(includeUnmatchedReturns: Bool) -> AMQPChannel.ConfirmResult {
        if includeUnmatchedReturns {
            settledReturns += returnsAwaitingConfirm
            returnsAwaitingConfirm.removeAll()
        }
        let result = AMQPChannel.ConfirmResult(
            acked: settledAcks, nacked: settledNacks, returned: settledReturns,
            outstanding: outstanding.count)
        settledAcks.removeAll()
        settledNacks.removeAll()
        settledReturns.removeAll()
        return result
    }
}

/// Something `consumeMessage` hands to its caller, in arrival order.
enum ConnectionEvent {
    case delivery(AMQPDelivery)
    case failure(AMQPError)
}

/// A FIFO of events with O(1) amortised pops.
struct EventQueue {
    private var items: [ConnectionEvent] = []
    private var head = 0

    var isEmpty: Bool { head == items.count }

    mutating func append(_ event: ConnectionEvent) {
        items.append(event)
    }

    mutating func popFirst() -> ConnectionEvent? {
        guard head < items.count else { return nil }
        let event = items[head]
        head += 1
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1024 && head * 2 >= items.count {
            items.removeFirst(head)
            head = 0
        }
        return event
    }

    /// Drops queued deliveries of a channel that closed: the broker requeues them.
    mutating func removeDeliveries(channel: UInt16) {
        items = items[head...].filter {
            if case .delivery(let delivery) = $0 { return delivery.channel != channel }
            return true
        }
        head = 0
    }

    mutating func removeAll() {
        items.removeAll()
        head = 0
    }
}
