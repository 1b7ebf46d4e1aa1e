import Testing
@testable import AMQPClient

/// Against a real RabbitMQ (`JOBHUNT_TEST_AMQP_URL`). Every test declares its own uniquely
/// named queues and exchanges and deletes them at the end.
@Suite("Messages: topology, properties, dead letters (RabbitMQ)", .enabled(if: TestBroker.isConfigured), .timeLimit(.minutes(1)))
struct BrokerMessageTests {
    @Test("quorum topology, confirmed publish with every property, consume: all fields round-trip")
    func roundTrip() throws {
        let exchange = TestBroker.uniqueName("events")
        let dlx = TestBroker.uniqueName("dlx")
        let queue = TestBroker.uniqueName("jobs")
        defer { TestBroker.cleanUp(queues: [queue], exchanges: [exchange, dlx]) }

        let connection = try TestBroker.connect()
        defer { connection.close() }
        #expect(connection.heartbeatSeconds == 30)
        #expect(connection.serverProperties["product"]?.stringValue == "RabbitMQ")
        let channel = try connection.openChannel(1)
        try channel.declareExchange(name: exchange, type: "topic", durable: true)
        try channel.declareExchange(name: dlx, type: "fanout", durable: true)
        let info = try channel.declareQueue(
            name: queue, durable: true,
            arguments: ["x-queue-type": "quorum", "x-delivery-limit": 20, "x-dead-letter-exchange": .string(dlx)])
        #expect(info == AMQPChannel.QueueInfo(name: queue, messageCount: 0, consumerCount: 0))
        // Redeclaring with the same arguments is a no-op.
        try channel.declareQueue(
            name: queue, durable: true,
            arguments: ["x-queue-type": "quorum", "x-delivery-limit": 20, "x-dead-letter-exchange": .string(dlx)])
        try channel.bindQueue(queue: queue, exchange: exchange, routingKey: "job.posted")

        let properties = AMQPMessageProperties(
            contentType: "application/cloudevents+json", contentEncoding: "identity",
            headers: AMQPTableTests.everyKind, deliveryMode: .persistent, priority: 3,
            correlationID: "corr-1", replyTo: "reply.queue", expiration: "600000",
            messageID: "b1f0c6e2-0001", timestamp: 1_764_000_000, type: "JobPosted",
            userID: try TestBroker.url().user, appID: "scraper/linkedin", clusterID: "cluster-a")
        let body = bytes(#"{"specversion":"1.0","id":"b1f0c6e2-0001"}"#) + [0, 255]

        try channel.enableConfirms()
        let sequence = try channel.publish(exchange: exchange, routingKey: "job.posted", body: body, properties: properties)
        #expect(sequence == 1)
        let confirms = try channel.waitForConfirms(timeout: .seconds(10))
        #expect(confirms.acked == [1])
        #expect(confirms.allDelivered)
        #expect(confirms.outstanding == 0)

        #expect(try channel.declareQueuePassive(name: queue).messageCount == 1)
        try channel.setPrefetch(count: 10)
        let tag = try channel.consume(queue: queue, consumerTag: "roundtrip-consumer")
        #expect(tag == "roundtrip-consumer")
        let delivery = try #require(try connection.consumeMessage(timeout: .seconds(10)))
        #expect(delivery.body == body)
        #expect(delivery.deliveryTag == 1)
        #expect(delivery.redelivered == false)
        #expect(delivery.exchange == exchange)
        #expect(delivery.routingKey == "job.posted")
        #expect(delivery.consumerTag == tag)
        #expect(delivery.channel == 1)
        #expect(delivery.properties.isPersistent)
        #expect(delivery.properties.messageID == "b1f0c6e2-0001")
        #expect(delivery.properties.contentType == "application/cloudevents+json")
        #expect(delivery.properties.headers == AMQPTableTests.everyKind)
        #expect(delivery.properties == properties)
        try channel.ack(deliveryTag: delivery.deliveryTag)
        try channel.cancel(consumerTag: tag)
        channel.close()
        channel.close()  // idempotent
    }

    @Test("nack and reject without requeue dead-letter; x-death arrives as an array of tables")
    func deadLettering() throws {
        let exchange = TestBroker.uniqueName("events")
        let dlx = TestBroker.uniqueName("dlx")
        let queue = TestBroker.uniqueName("jobs")
        let dead = TestBroker.uniqueName("dead")
        defer { TestBroker.cleanUp(queues: [queue, dead], exchanges: [exchange, dlx]) }

        let connection = try TestBroker.connect()
        defer { connection.close() }
        let channel = try connection.openChannel(1)
        try channel.declareExchange(name: exchange, type: "topic")
        try channel.declareExchange(name: dlx, type: "fanout")
        try channel.declareQueue(
            name: queue, arguments: ["x-queue-type": "quorum", "x-delivery-limit": 20, "x-dead-letter-exchange": .string(dlx)])
        try channel.declareQueue(name: dead, arguments: ["x-queue-type": "quorum"])
        try channel.bindQueue(queue: queue, exchange: exchange, routingKey: "job.#")
        try channel.bindQueue(queue: dead, exchange: dlx, routingKey: "")

        try channel.enableConfirms()
        for index in 1...2 {
            try channel.publish(
                exchange: exchange, routingKey: "job.posted", body: bytes("poison \(index)"),
                properties: .init(headers: ["attempt": .int32(Int32(index))], deliveryMode: .persistent, messageID: "m\(index)"))
        }
        #expect(try channel.waitForConfirms(timeout: .seconds(10)).acked == [1, 2])

        try channel.consume(queue: queue)
        let deliveries = try receive(2, from: connection)
        try #require(deliveries.count == 2)
        try channel.nack(deliveryTag: deliveries[0].deliveryTag, requeue: false)
        try channel.reject(deliveryTag: deliveries[1].deliveryTag, requeue: false)

        let inspector = try connection.openChannel(2)
        var seen: [String] = []
        for _ in 1...2 {
            let letter = try #require(try getEventually(inspector, queue: dead))
            try inspector.ack(deliveryTag: letter.deliveryTag)
            seen.append(letter.properties.messageID ?? "?")
            let headers = letter.properties.headers
            #expect(headers["x-first-death-reason"] == "rejected")
            #expect(headers["x-first-death-queue"]?.stringValue == queue)
            #expect(headers["x-first-death-exchange"]?.stringValue == exchange)
            #expect(headers["attempt"]?.intValue != nil)
            let deaths = try #require(headers["x-death"]?.arrayValue)
            let death = try #require(deaths.first?.tableValue)
            #expect(death["reason"] == "rejected")
            #expect(death["queue"]?.stringValue == queue)
            #expect(death["exchange"]?.stringValue == exchange)
            #expect(death["count"]?.intValue == 1)
            #expect(death["routing-keys"] == ["job.posted"])
            #expect(death["time"]?.timestampValue != nil)
        }
        #expect(Set(seen) == ["m1", "m2"])
    }

    @Test("bodies larger than a frame and empty bodies round-trip")
    func bodySizes() throws {
        let queue = TestBroker.uniqueName("sizes")
        defer { TestBroker.cleanUp(queues: [queue]) }
        let connection = try TestBroker.connect()
        defer { connection.close() }
        let channel = try connection.openChannel(1)
        try channel.declareQueue(name: queue, arguments: ["x-queue-type": "quorum"])
        try channel.enableConfirms()
        let large = (0..<(1_572_864)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try channel.publish(exchange: "", routingKey: queue, body: large)
        try channel.publish(exchange: "", routingKey: queue, body: [])
        #expect(try channel.waitForConfirms(timeout: .seconds(10)).acked == [1, 2])
        try channel.consume(queue: queue)
        let deliveries = try receive(2, from: connection)
        #expect(deliveries.first?.body == large)
        #expect(deliveries.last?.body == [])
        #expect(deliveries.last?.properties == AMQPMessageProperties())
    }
}
