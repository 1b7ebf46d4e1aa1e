import AMQPClient
import JobHuntEvents

/// A queue consumed on a RabbitMQ connection of its own: deliveries and acks on channel 1
/// (with the prefetch), retry copies on channel 2 with publisher confirms.
final class AMQPDeliverySource: DeliverySource {
    private let connection: AMQPConnection
    private let channel: AMQPChannel
    private let retryChannel: AMQPChannel
    private let consumerTag: String
    private let queue: String
    private let retries: RetryScheduler

    /// Connects to a broker node through `cursor` and starts consuming `queue`. The one place
    /// where a consumer opens a connection.
    static func open(
        queue: String, configuration: WorkerConfiguration, cursor: BrokerCursor, retries: RetryScheduler
    ) throws -> AMQPDeliverySource {
        let connection = try cursor.connect(heartbeatSeconds: configuration.heartbeatSeconds)
        do {
            let channel = try connection.openChannel(1)
            try channel.setPrefetch(count: UInt16(configuration.prefetch))
            let retryChannel = try connection.openChannel(2)
            try retryChannel.enableConfirms()
            let consumerTag = try channel.consume(queue: queue)
            return AMQPDeliverySource(
                connection: connection, channel: channel, retryChannel: retryChannel, consumerTag: consumerTag,
                queue: queue, retries: retries)
        } catch {
            connection.close()
            throw error
        }
    }

    private init(
        connection: AMQPConnection, channel: AMQPChannel, retryChannel: AMQPChannel, consumerTag: String,
        queue: String, retries: RetryScheduler
    ) {
        self.connection = connection
        self.channel = channel
        self.retryChannel = retryChannel
        self.consumerTag = consumerTag
        self.queue = queue
        self.retries = retries
    }

    /// The node, its URL redacted.
    var node: String { connection.url.description }

    func waitUntilReadable(timeout: Duration) throws -> Bool {
        try connection.waitUntilReadable(timeout: timeout)
    }

    /// Also answers heartbeats that are due.
    func nextDelivery() throws -> AMQPDelivery? {
        try connection.consumeMessage(timeout: .zero)
    }

    func ack(deliveryTag: UInt64, multiple: Bool) throws {
        try channel.ack(deliveryTag: deliveryTag, multiple: multiple)
    }

    func publishRetryCopy(of delivery: AMQPDelivery, afterSeconds seconds: Int) throws {
        try retries.publishCopy(
            of: delivery, backTo: queue, afterSeconds: seconds, now: Timestamp.now().millisecondsSinceEpoch, on: retryChannel)
    }

    func confirmRetryCopies() throws {
        try retries.confirm(on: retryChannel)
    }

    func cancelConsuming() throws {
        try channel.cancel(consumerTag: consumerTag)
    }

    func close() {
        connection.close()
    }
}
