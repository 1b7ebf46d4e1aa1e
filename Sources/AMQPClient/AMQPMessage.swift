/// The AMQP `delivery-mode` property.
public struct AMQPDeliveryMode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The wire value.
    public var rawValue: UInt8
    /// Creates a mode from its wire value.
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// 1: kept in memory only (a classic queue loses it on broker restart).
    public static let transient = AMQPDeliveryMode(rawValue: 1)
    /// 2: written to disk by durable queues.
    public static let persistent = AMQPDeliveryMode(rawValue: 2)

    /// `transient`, `persistent`, or the number.
    public var description: String {
        switch rawValue {
        case 1: return "transient"
        case 2: return "persistent"
        default: return "\(rawValue)"
        }
    }
}

/// The basic-class properties of a message. Every field is optional on the wire; `nil` (or an
/// empty `headers`) means "not sent".
public struct AMQPMessageProperties: Sendable, Hashable {
    /// `content-type`, e.g. `application/cloudevents+json`.
    public var contentType: String?
    /// `content-encoding`.
    public var contentEncoding: String?
    /// `headers`; empty means not sent.
    public var headers: AMQPTable
    /// `delivery-mode`.
    public var deliveryMode: AMQPDeliveryMode?
    /// `priority` (0-9 for priority queues).
    public var priority: UInt8?
    /// `correlation-id`.
    public var correlationID: String?
    /// `reply-to`.
    public var replyTo: String?
    /// `expiration`: a per-message TTL in milliseconds, as text.
    public var expiration: String?
    /// `message-id`.
    public var messageID: String?
    /// `timestamp`: seconds since the Unix epoch.
    public var timestamp: UInt64?
    /// `type`.
    public var type: String?
    /// `user-id` (RabbitMQ checks it against the connection's user).
    public var userID: String?
    /// `app-id`.
    public var appID: String?
    /// `cluster-id` (deprecated in 0-9-1; carried for completeness).
    public var clusterID: String?

    /// Properties with the given fields set.
    public init(
        contentType: String? = nil, contentEncoding: String? = nil, headers: AMQPTable = [:],
        deliveryMode: AMQPDeliveryMode? = nil, priority: UInt8? = nil,
        correlationID: String? = nil, replyTo: String? = nil, expiration: String? = nil,
        messageID: String? = nil, timestamp: UInt64? = nil, type: String? = nil,
        userID: String? = nil, appID: String? = nil, clusterID: String? = nil
    ) {
        self.contentType = contentType
        self.contentEncoding = contentEncoding
        self.headers = headers
        self.deliveryMode = deliveryMode
        self.priority = priority
        self.correlationID = correlationID
        self.replyTo = replyTo
        self.expiration = expiration
        self.messageID = messageID
        self.timestamp = timestamp
        self.type = type
        self.userID = userID
        self.appID = appID
        self.clusterID = clusterID
    }

    /// Whether `deliveryMode` is `.persistent`.
    public var isPersistent: Bool { deliveryMode == .persistent }
}

/// A message delivered to a consumer (`basic.deliver`) or fetched with `basic.get`. Its bytes
/// are copied out of librabbitmq, so it outlives the frame it came in.
public struct AMQPDelivery: Sendable, Hashable {
    /// The message body.
    public var body: [UInt8]
    /// The tag to `ack`/`nack`/`reject` with, on `channel`.
    public var deliveryTag: UInt64
    /// Whether the broker delivered this message before (to this or another consumer).
    public var redelivered: Bool
    /// The exchange the message was published to (empty for the default exchange).
    public var exchange: String
    /// The routing key it was published with.
    public var routingKey: String
    /// The consumer it was delivered to; empty for `basic.get`.
    public var consumerTag: String
    /// The channel it arrived on; acknowledge it there.
    public var channel: UInt16
    /// The message properties.
    public var properties: AMQPMessageProperties

    /// Creates a delivery (for tests and fakes).
    public init(
        body: [UInt8], deliveryTag: UInt64, redelivered: Bool = false, exchange: String = "",
        routingKey: String = "", consumerTag: String = "", channel: UInt16 = 1,
        properties: AMQPMessageProperties = .init()
    ) {
        self.body = body
        self.deliveryTag = deliveryTag
        self.redelivered = redelivered
        self.exchange = exchange
        self.routingKey = routingKey
        self.consumerTag = consumerTag
        self.channel = channel
        self.properties = properties
    }
}

/// A mandatory message the broker could not route, sent back with `basic.return`.
public struct AMQPReturnedMessage: Sendable, Hashable {
    /// The publish sequence number of the returned message, when the channel is in confirm
    /// mode. RabbitMQ sends the return just before the confirm of the same message, so the
    /// next confirm's tag identifies it.
    public var sequenceNumber: UInt64?
    /// The reply code, usually 312 NO_ROUTE.
    public var replyCode: UInt16
    /// The reply text, e.g. `NO_ROUTE`.
    public var replyText: String
    /// The exchange it was published to.
    public var exchange: String
    /// The routing key it was published with.
    public var routingKey: String
    /// Its properties (the `messageID` is a second way to tell which message came back).
    public var properties: AMQPMessageProperties
    /// Its body.
    public var body: [UInt8]

    /// Creates a returned message (for fakes in tests).
    public init(
        sequenceNumber: UInt64?, replyCode: UInt16, replyText: String, exchange: String,
        routingKey: String, properties: AMQPMessageProperties = .init(), body: [UInt8] = []
    ) {
        self.sequenceNumber = sequenceNumber
        self.replyCode = replyCode
        self.replyText = replyText
        self.exchange = exchange
        self.routingKey = routingKey
        self.properties = properties
        self.body = body
    }
}
