import AMQPClient

/// A connection and channel of a test's own, for looking into queues. Closes on deinit.
final class AMQPTestConnection {
    let connection: AMQPConnection
    let channel: AMQPChannel

    init(_ bed: TestBed) throws {
        connection = try AMQPConnection(url: AMQPURL(bed.configuration.amqpURL), heartbeatSeconds: 0)
        channel = try connection.openChannel(1)
    }

    deinit { connection.close() }
}
