import Testing
@testable import AMQPClient

/// Against a real RabbitMQ (`JOBHUNT_TEST_AMQP_URL`). Every test declares its own uniquely
/// named queues and exchanges and deletes them at the end.
@Suite("Consuming (RabbitMQ)", .enabled(if: TestBroker.isConfigured), .timeLimit(.minutes(1)))
struct BrokerConsumeTests {
    @Test("prefetch limits unacknowledged deliveries")
    func prefetch() throws {
        let queue = TestBroker.uniqueName("prefetch")
        defer { TestBroker.cleanUp(queues: [queue]) }
        let connection = try TestBroker.connect()
        defer { connection.close() }
        let channel = try connection.openChannel(1)
        try channel.declareQueue(name: queue, arguments: ["x-queue-type": "quorum"])
        try channel.enableConfirms()
        for index in 0..<10 {
            try channel.publish(exchange: "", routingKey: queue, body: bytes("m\(index)"))
        }
        #expect(try channel.waitForConfirms(timeout: .seconds(10)).acked.count == 10)

        try channel.setPrefetch(count: 3)
        try channel.consume(queue: queue)
        let first = try receive(3, from: connection)
        #expect(first.map(\.body) == (0..<3).map { bytes("m\($0)") })
        #expect(try connection.consumeMessage(timeout: .milliseconds(500)) == nil)
        try channel.ack(deliveryTag: first[0].deliveryTag)
        let fourth = try #require(try connection.consumeMessage(timeout: .seconds(5)))
        #expect(fourth.body == bytes("m3"))
        #expect(try connection.consumeMessage(timeout: .milliseconds(300)) == nil)
    }

    @Test("a multiple ack acknowledges every delivery up to its tag")
    func multipleAck() throws {
        let queue = TestBroker.uniqueName("multi")
        defer { TestBroker.cleanUp(queues: [queue]) }
        let connection = try TestBroker.connect()
        defer { connection.close() }
        let channel = try connection.openChannel(1)
        try channel.declareQueue(name: queue, arguments: ["x-queue-type": "quorum"])
        try channel.enableConfirms()
        for index in 0..<5 {
            try channel.publish(exchange: "", routingKey: queue, body: bytes("m\(index)"))
        }
        _ = try channel.waitForConfirms(timeout: .seconds(10))

        let consumer = try connection.openChannel(2)
        try consumer.setPrefetch(count: 10)
        try consumer.consume(queue: queue)
        let deliveries = try receive(5, from: connection)
        try #require(deliveries.count == 5)
        #expect(deliveries.allSatisfy { $0.channel == 2 })
        try consumer.ack(deliveryTag: deliveries[2].deliveryTag, multiple: true)
        consumer.close()  // the two unacknowledged deliveries go back to the queue

        // Requeueing is asynchronous: collect what comes back. Only m3 and m4 may.
        var requeued: [AMQPDelivery] = []
        while requeued.count < 2, let again = try getEventually(channel, queue: queue) {
            requeued.append(again)
        }
        #expect(requeued.map(\.body) == [bytes("m3"), bytes("m4")])
        #expect(requeued.allSatisfy { $0.redelivered })
        #expect(try channel.get(queue: queue) == nil)
    }

    @Test("consumeMessage returns nil on timeout, close to the timeout")
    func consumeTimeout() throws {
        let queue = TestBroker.uniqueName("idle")
        defer { TestBroker.cleanUp(queues: [queue]) }
        let connection = try TestBroker.connect()
        defer { connection.close() }
        let channel = try connection.openChannel(1)
        try channel.declareQueue(name: queue, durable: false, autoDelete: true)
        try channel.consume(queue: queue)
        let started = ContinuousClock.now
        #expect(try connection.consumeMessage(timeout: .milliseconds(400)) == nil)
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .milliseconds(350) && elapsed < .seconds(3))
        #expect(try connection.consumeMessage(timeout: .zero) == nil)
        #expect(try channel.get(queue: queue) == nil)
    }

    @Test("an idle consumer with a short heartbeat stays connected")
    func heartbeats() throws {
        let queue = TestBroker.uniqueName("heartbeat")
        defer { TestBroker.cleanUp(queues: [queue]) }
        let connection = try TestBroker.connect(heartbeatSeconds: 1)
        defer { connection.close() }
        #expect(connection.heartbeatSeconds == 1)
        let channel = try connection.openChannel(1)
        try channel.declareQueue(name: queue, durable: false)
        try channel.consume(queue: queue)
        // One long wait (the library sends heartbeats inside it) and a loop of short ones.
        #expect(try connection.consumeMessage(timeout: .seconds(4)) == nil)
        for _ in 0..<10 {
            #expect(try connection.consumeMessage(timeout: .milliseconds(300)) == nil)
        }
        #expect(connection.isOpen)
        #expect(try channel.declareQueuePassive(name: queue).consumerCount == 1)
    }

    @Test("deleting a consumed queue cancels the consumer with a typed error")
    func consumerCancelled() throws {
        let queue = TestBroker.uniqueName("doomed")
        defer { TestBroker.cleanUp(queues: [queue]) }
        let connection = try TestBroker.connect()
        defer { connection.close() }
        let channel = try connection.openChannel(1)
        try channel.declareQueue(name: queue, arguments: ["x-queue-type": "quorum"])
        let tag = try channel.consume(queue: queue)

        let other = try TestBroker.connect()
        try other.openChannel(1).deleteQueue(name: queue)
        other.close()

        #expect {
            _ = try connection.consumeMessage(timeout: .seconds(10))
        } throws: { error in
            guard let error = error as? AMQPError, case .consumerCancelled(let cancelled) = error.kind else { return false }
            return cancelled == tag && error.isRetriable
        }
        // The channel and connection stay usable.
        try channel.declareQueue(name: queue, durable: false)
        #expect(try connection.consumeMessage(timeout: .milliseconds(100)) == nil)
    }

    @Test("confirms and deliveries share a connection: neither loses the other's frames")
    func sharedConnection() throws {
        let queue = TestBroker.uniqueName("shared")
        defer { TestBroker.cleanUp(queues: [queue]) }
        let connection = try TestBroker.connect()
        defer { connection.close() }
        let consumer = try connection.openChannel(1)
        try consumer.declareQueue(name: queue, arguments: ["x-queue-type": "quorum"])
        try consumer.setPrefetch(count: 500)
        try consumer.consume(queue: queue)
        let publisher = try connection.openChannel(2)
        try publisher.enableConfirms()
        for index in 0..<300 {
            try publisher.publish(exchange: "", routingKey: queue, body: bytes("m\(index)"))
        }
        // Deliveries arrive while we wait for the confirms; they are kept for consumeMessage.
        #expect(try publisher.waitForConfirms(timeout: .seconds(10)).acked.count == 300)
        let deliveries = try receive(300, from: connection)
        #expect(deliveries.map(\.body) == (0..<300).map { bytes("m\($0)") })
        if let last = deliveries.last {
            try consumer.ack(deliveryTag: last.deliveryTag, multiple: true)
        }
    }
}
