import AMQPClient
import JobHuntWorker
import JobHuntWorkload

extension TestBed {
    /// Publishes raw bodies (valid or not) with confirms, routed as `routingKey`.
    public func publish(_ bodies: [[UInt8]], routingKey: String = "job.posted", headers: AMQPTable = [:]) throws {
        let channel = try openChannel()
        try channel.enableConfirms()
        for body in bodies {
            _ = try channel.publish(
                exchange: configuration.exchange, routingKey: routingKey, body: body,
                properties: AMQPMessageProperties(contentType: EventPublisher.contentType, headers: headers, deliveryMode: .persistent),
                mandatory: true)
        }
        try Self.expectDelivered(channel.waitForConfirms(timeout: .seconds(60)))
    }

    /// Publishes every message of a workload with its routing key, in order, with confirms.
    public func publish(_ workload: Workload) throws {
        try publish(workload.messages)
    }

    /// Publishes `messages` with their routing keys, in order, with confirms.
    public func publish(_ messages: [Workload.Message]) throws {
        let channel = try openChannel()
        try channel.enableConfirms()
        for message in messages {
            _ = try channel.publish(exchange: configuration.exchange, routingKey: message.routingKey, body: message.body,
                                    properties: AMQPMessageProperties(deliveryMode: .persistent), mandatory: true)
            if channel.outstandingConfirms >= 500 {
                try Self.expectDelivered(channel.waitForConfirms(timeout: .seconds(60)))
            }
        }
        try Self.expectDelivered(channel.waitForConfirms(timeout: .seconds(60)))
    }

    /// A channel on a connection of the test's own, for looking into queues. The channel keeps
    /// its connection alive; the connection closes when the last reference goes.
    public func openChannel() throws -> AMQPChannel {
        try configuration.brokers().connect().connection.openChannel(1)
    }

    /// Messages waiting in each work, retry and dead queue, by name (for a failure's report).
    public func messagesByQueue() throws -> [String: Int] {
        let channel = try openChannel()
        let queues = topology.workQueues + Topology.retryDelays.map { topology.retryQueue(delaySeconds: $0) } + [topology.deadQueue]
        return try Dictionary(uniqueKeysWithValues: queues.map { ($0, Int(try channel.declareQueuePassive(name: $0).messageCount)) })
    }

    /// Messages waiting in every work and retry queue.
    public func messagesInFlight() throws -> Int {
        let channel = try openChannel()
        return try (topology.workQueues + Topology.retryDelays.map { topology.retryQueue(delaySeconds: $0) })
            .reduce(0) { $0 + Int(try channel.declareQueuePassive(name: $1).messageCount) }
    }

    /// Messages waiting in the delay queues for a retry.
    public func messagesWaitingForRetry() throws -> Int {
        let channel = try openChannel()
        return try Topology.retryDelays.map { topology.retryQueue(delaySeconds: $0) }
            .reduce(0) { $0 + Int(try channel.declareQueuePassive(name: $1).messageCount) }
    }

    /// Messages waiting in `queue` (not counting those delivered and unacked).
    public func messageCount(_ queue: String) throws -> Int {
        Int(try openChannel().declareQueuePassive(name: queue).messageCount)
    }

    /// Fails the test (by throwing) unless the broker took every message it was sent.
    private static func expectDelivered(_ confirms: AMQPChannel.ConfirmResult) throws {
        guard confirms.allDelivered else { throw UndeliveredTestMessages() }
    }
}

/// The broker refused (nacked or returned) a message a test published.
public struct UndeliveredTestMessages: Error, CustomStringConvertible {
    public var description: String { "the broker refused a test message" }
}
