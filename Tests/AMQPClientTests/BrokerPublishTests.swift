import Testing
@testable import AMQPClient

/// Against a real RabbitMQ (`JOBHUNT_TEST_AMQP_URL`). Every test declares its own uniquely
/// named queues and exchanges and deletes them at the end.
@Suite("Publishing with confirms (RabbitMQ)", .enabled(if: TestBroker.isConfigured), .timeLimit(.minutes(1)))
struct BrokerPublishTests {
    @Test("publishing to a missing exchange surfaces channel-closed 404; the connection survives")
    func missingExchange() throws {
        let queue = TestBroker.uniqueName("survivor")
        defer { TestBroker.cleanUp(queues: [queue]) }
        let connection = try TestBroker.connect()
        defer { connection.close() }

        // With confirms: waitForConfirms reports it.
        let channel = try connection.openChannel(1)
        try channel.enableConfirms()
        try channel.publish(exchange: TestBroker.uniqueName("missing"), routingKey: "x", body: bytes("lost"))
        var caught: AMQPError?
        do {
            _ = try channel.waitForConfirms(timeout: .seconds(10))
        } catch let error as AMQPError {
            caught = error
        }
        let error = try #require(caught)
        #expect(error.replyCode == 404)
        guard case .channelClosed(404, let text) = error.kind else {
            Issue.record("expected channelClosed 404, got \(error)")
            return
        }
        #expect(text.contains("NOT_FOUND"))
        #expect(!error.isRetriable)
        // The channel stays closed; later calls say so without touching the broker.
        #expect(throws: AMQPError.self) { try channel.declareQueuePassive(name: queue) }

        // Without confirms: the next synchronous call on the channel reports it.
        let second = try connection.openChannel(2)
        try second.publish(exchange: TestBroker.uniqueName("missing"), routingKey: "x", body: bytes("lost"))
        #expect {
            try second.declareQueue(name: queue, durable: false)
        } throws: { ($0 as? AMQPError)?.replyCode == 404 }

        // The same channel id opens again and the connection works.
        let reopened = try connection.openChannel(1)
        try reopened.declareQueue(name: queue, durable: false)
        #expect(connection.isOpen)
    }

    @Test("a mandatory publish with no route is reported by waitForConfirms")
    func unroutableMandatory() throws {
        let exchange = TestBroker.uniqueName("events")
        let queue = TestBroker.uniqueName("routed")
        defer { TestBroker.cleanUp(queues: [queue], exchanges: [exchange]) }
        let connection = try TestBroker.connect()
        defer { connection.close() }
        let channel = try connection.openChannel(1)
        try channel.declareExchange(name: exchange, type: "topic", durable: false, autoDelete: false)
        try channel.declareQueue(name: queue, durable: false)
        try channel.bindQueue(queue: queue, exchange: exchange, routingKey: "job.posted")
        try channel.enableConfirms()

        let routed = try channel.publish(exchange: exchange, routingKey: "job.posted", body: bytes("a"), mandatory: true)
        let unroutable = try channel.publish(
            exchange: exchange, routingKey: "nobody.listens", body: bytes("b"),
            properties: .init(messageID: "lost-1"), mandatory: true)
        let routedAgain = try channel.publish(exchange: exchange, routingKey: "job.posted", body: bytes("c"), mandatory: true)
        let result = try channel.waitForConfirms(timeout: .seconds(10))
        #expect(result.acked == [routed, routedAgain])
        #expect(result.notDelivered == [unroutable])
        #expect(!result.allDelivered)
        let returned = try #require(result.returned.first)
        #expect(returned.sequenceNumber == unroutable)
        #expect(returned.replyCode == 312)
        #expect(returned.replyText == "NO_ROUTE")
        #expect(returned.routingKey == "nobody.listens")
        #expect(returned.properties.messageID == "lost-1")
        #expect(returned.body == bytes("b"))
        // Nothing carries over to the next wait.
        #expect(try channel.waitForConfirms(timeout: .seconds(1)) == .init(acked: [], nacked: [], returned: [], outstanding: 0))
    }

    @Test("publishes the broker refuses are nacked and reported as failures")
    func nackedPublishes() throws {
        let queue = TestBroker.uniqueName("full")
        defer { TestBroker.cleanUp(queues: [queue]) }
        let connection = try TestBroker.connect()
        defer { connection.close() }
        let channel = try connection.openChannel(1)
        try channel.declareQueue(name: queue, durable: false, arguments: ["x-max-length": 2, "x-overflow": "reject-publish"])
        try channel.enableConfirms()
        for index in 1...4 {
            try channel.publish(exchange: "", routingKey: queue, body: bytes("m\(index)"))
        }
        let result = try channel.waitForConfirms(timeout: .seconds(10))
        #expect(result.acked == [1, 2])
        #expect(result.nacked == [3, 4])
        #expect(result.notDelivered == [3, 4])
        #expect(result.failures.map(\.sequenceNumber) == [3, 4])
        #expect(result.failures.allSatisfy { $0.reason.contains("nack") })
    }

    @Test("a confirm window keeps at most N publishes outstanding")
    func confirmWindow() throws {
        let queue = TestBroker.uniqueName("window")
        defer { TestBroker.cleanUp(queues: [queue]) }
        let connection = try TestBroker.connect()
        defer { connection.close() }
        let channel = try connection.openChannel(1)
        try channel.declareQueue(name: queue, arguments: ["x-queue-type": "quorum"])
        try channel.enableConfirms()
        var acked: [UInt64] = []
        for index in 0..<2000 {
            try channel.publish(exchange: "", routingKey: queue, body: bytes("m\(index)"), properties: .init(deliveryMode: .persistent))
            if channel.outstandingConfirms > 200 {
                let partial = try channel.waitForConfirms(outstandingAtMost: 100, timeout: .seconds(10))
                #expect(partial.outstanding <= 100)
                #expect(partial.allDelivered)
                acked += partial.acked
            }
        }
        acked += try channel.waitForConfirms(timeout: .seconds(10)).acked
        #expect(acked.sorted() == Array(1...2000))
        #expect(channel.outstandingConfirms == 0)
        #expect(try channel.declareQueuePassive(name: queue).messageCount == 2000)
    }
}
