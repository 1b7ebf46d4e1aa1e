import AMQPClient

/// Retires the classic delay queues `<prefix>.retry.<N>s` of versions before the quorum delay
/// queues (see `Topology`), without losing what waits in them.
///
/// Each one found is unbound from the retry exchange (the quorum delay queues are bound by
/// then, so new copies go there) and deleted if it is empty. One still holding messages is
/// left to drain: its TTL dead-letters them into their work queue as before, and the next
/// declaration deletes it.
struct LegacyDelayQueues {
    let topology: Topology

    /// A legacy queue that still holds messages.
    struct Draining: Sendable, Equatable {
        let queue: String
        let messages: Int
    }

    /// Retires every legacy delay queue on channel `channelID` of `connection` (a probe for a
    /// missing queue closes its channel, so the channel is opened anew for each). Returns the
    /// queues left draining.
    func retire(on connection: AMQPConnection, channelID: UInt16) throws -> [Draining] {
        var draining: [Draining] = []
        for seconds in Topology.retryDelays {
            let queue = topology.legacyRetryQueue(delaySeconds: seconds)
            let channel = try connection.openChannel(channelID)
            defer { channel.close() }
            let info: AMQPChannel.QueueInfo
            do {
                info = try channel.declareQueuePassive(name: queue)
            } catch let error as AMQPError where error.replyCode == 404 {
                continue
            }
            try channel.unbindQueue(
                queue: queue, exchange: topology.retryExchange, routingKey: "",
                arguments: topology.retryBindingArguments(seconds: seconds))
            guard info.messageCount == 0 else {
                draining.append(Draining(queue: queue, messages: Int(info.messageCount)))
                continue
            }
            do {
                try channel.deleteQueue(name: queue, ifEmpty: true)
            } catch let error as AMQPError where error.replyCode == 406 {
                // A message arrived between the probe and the delete: it drains like the rest.
                draining.append(Draining(queue: queue, messages: 1))
            }
        }
        return draining
    }
}
