import AMQPClient
import JobHuntEvents

/// The AMQP topology of contract §3, named from the exchange and the queue prefix.
///
/// Each work queue is a durable quorum queue that dead-letters (at least once) to
/// `<prefix>.dlx`, a fanout exchange bound to `<prefix>.dead`, after `deliveryLimit` deliveries.
///
/// Retries of missing references (the worker's own business, contract §3): a headers exchange
/// `<prefix>.retry` routes a message by its `jobhunt-delay` header (not `x-` prefixed: headers
/// exchanges ignore those when matching) to one of the delay queues `<prefix>.delay.<N>s`,
/// whose message TTL is N seconds; on expiry a delay queue dead-letters to the default
/// exchange, with the routing key the message was published with: the name of the work queue
/// it came from. Nothing polls and nothing blocks a consumer.
///
/// The delay queues are quorum queues that dead-letter **at least once** (which RabbitMQ
/// allows only with `x-overflow: reject-publish`): an expired message leaves its delay queue
/// only once its work queue has confirmed it, so it survives a broker restart, a crash of a
/// node, and a work queue that has no leader yet when the message expires. (Classic delay
/// queues dead-letter at most once: what expired while a work queue had no leader was lost.)
///
/// Upgrading from the classic delay queues `<prefix>.retry.<N>s` (`LegacyDelayQueues`): their
/// arguments cannot be changed, so the quorum ones get new names; `declare` binds those first,
/// then unbinds the legacy queues, so a copy is always routed somewhere. A legacy queue still
/// holding messages keeps draining into its work queue (within its TTL, 60 s at most) and is
/// deleted by the next declaration that finds it empty.
public struct Topology: Sendable {
    /// The topic exchange producers publish to.
    public let exchange: String
    /// The prefix of every queue and of the dead-letter exchange.
    public let queuePrefix: String
    /// Deliveries after which the broker dead-letters a message.
    public let deliveryLimit: Int

    /// The topology of `configuration`.
    public init(_ configuration: WorkerConfiguration) {
        self.exchange = configuration.exchange
        self.queuePrefix = configuration.queuePrefix
        self.deliveryLimit = configuration.deliveryLimit
    }

    /// The queue bound to each event type's routing key.
    public func queue(for type: EventType) -> String {
        switch type {
        case .jobPosted: return "\(queuePrefix).jobs"
        case .matchComputed: return "\(queuePrefix).matches"
        case .interactionRecorded: return "\(queuePrefix).interactions"
        }
    }

    /// The three work queues, in the order of `EventType.allCases`.
    public var workQueues: [String] { EventType.allCases.map(queue(for:)) }
    /// Where the broker's safety net sends messages: a fanout exchange.
    public var deadLetterExchange: String { "\(queuePrefix).dlx" }
    /// The queue bound to `deadLetterExchange`.
    public var deadQueue: String { "\(queuePrefix).dead" }

    /// The headers exchange that routes retries to their delay queue.
    public var retryExchange: String { "\(queuePrefix).retry" }
    /// The delays, in seconds, that a retry can wait: each has a delay queue.
    public static let retryDelays: [Int] = [1, 2, 4, 8, 16, 32, 60]
    /// The header that selects the delay queue.
    public static let retryDelayHeader = "jobhunt-delay"
    /// The delay queue of `seconds` (one of `retryDelays`).
    public func retryQueue(delaySeconds seconds: Int) -> String { "\(queuePrefix).delay.\(seconds)s" }
    /// The classic delay queue of `seconds` that versions before the quorum delay queues declared.
    public func legacyRetryQueue(delaySeconds seconds: Int) -> String { "\(queuePrefix).retry.\(seconds)s" }
    /// Every queue declared, work queues first.
    public var allQueues: [String] {
        workQueues + [deadQueue] + Self.retryDelays.map { retryQueue(delaySeconds: $0) }
    }

    /// Declares everything; idempotent as long as the arguments do not change.
    public func declare(on channel: AMQPChannel) throws {
        try declareWorkQueues(on: channel)
        try declareDelayQueues(on: channel)
    }

    /// Checks that every exchange and queue exists, for a topology an operator declared
    /// (`TopologyMode.verify`); bindings and arguments cannot be checked without declaring.
    /// Throws `MissingTopology` naming the first one missing. A missing one closes its channel,
    /// so each check has a channel of its own on `connection` (ids from `firstChannel`).
    public func verify(on connection: AMQPConnection, firstChannel: UInt16) throws {
        var channelID = firstChannel
        func check(_ kind: String, _ name: String, _ declare: (AMQPChannel) throws -> Void) throws {
            let channel = try connection.openChannel(channelID)
            channelID += 1
            do {
                try declare(channel)
                channel.close()
            } catch let error as AMQPError where error.replyCode == 404 {
                throw MissingTopology(description: "the \(kind) \(name) does not exist: declare the topology (deploy/rabbitmq/definitions.json) or set JOBHUNT_TOPOLOGY=declare")
            }
        }
        for name in [exchange, deadLetterExchange, retryExchange] {
            try check("exchange", name) { try $0.declareExchangePassive(name: name) }
        }
        for name in allQueues {
            try check("queue", name) { try $0.declareQueuePassive(name: name) }
        }
    }

    /// The exchanges, the work queues and the dead queue, with their bindings.
    public func declareWorkQueues(on channel: AMQPChannel) throws {
        try channel.declareExchange(name: exchange, type: "topic", durable: true)
        try channel.declareExchange(name: deadLetterExchange, type: "fanout", durable: true)
        _ = try channel.declareQueue(name: deadQueue, durable: true, arguments: ["x-queue-type": .string("quorum")])
        try channel.bindQueue(queue: deadQueue, exchange: deadLetterExchange, routingKey: "")
        for type in EventType.allCases {
            _ = try channel.declareQueue(name: queue(for: type), durable: true, arguments: workQueueArguments)
            try channel.bindQueue(queue: queue(for: type), exchange: exchange, routingKey: type.routingKey)
        }
    }

    /// The retry exchange and the delay queues, with their bindings.
    public func declareDelayQueues(on channel: AMQPChannel) throws {
        try channel.declareExchange(name: retryExchange, type: "headers", durable: true)
        for seconds in Self.retryDelays {
            let queue = retryQueue(delaySeconds: seconds)
            _ = try channel.declareQueue(name: queue, durable: true, arguments: delayQueueArguments(seconds: seconds))
            try channel.bindQueue(queue: queue, exchange: retryExchange, routingKey: "", arguments: retryBindingArguments(seconds: seconds))
        }
    }

    /// The binding of the delay queue of `seconds` to `retryExchange`.
    func retryBindingArguments(seconds: Int) -> AMQPTable {
        ["x-match": .string("all"), Self.retryDelayHeader: .string("\(seconds)s")]
    }

    func delayQueueArguments(seconds: Int) -> AMQPTable {
        [
            "x-queue-type": .string("quorum"),
            "x-message-ttl": .int64(Int64(seconds) * 1000),
            "x-dead-letter-exchange": .string(""),
            "x-dead-letter-strategy": .string("at-least-once"),
            "x-overflow": .string("reject-publish"),
        ]
    }

    var workQueueArguments: AMQPTable {
        [
            "x-queue-type": .string("quorum"),
            "x-delivery-limit": .int64(Int64(deliveryLimit)),
            "x-dead-letter-exchange": .string(deadLetterExchange),
            "x-dead-letter-strategy": .string("at-least-once"),
            "x-overflow": .string("reject-publish"),
        ]
    }
}

/// An exchange or queue that `TopologyMode.verify` expected and the broker does not have.
public struct MissingTopology: Error, Sendable, CustomStringConvertible {
    public let description: String
}
