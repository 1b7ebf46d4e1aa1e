import Testing
@testable import AMQPClient

/// Against a real RabbitMQ (`JOBHUNT_TEST_AMQP_URL`). Every test declares its own uniquely
/// named queues and exchanges and deletes them at the end.
@Suite("Connections and errors (RabbitMQ)", .enabled(if: TestBroker.isConfigured), .timeLimit(.minutes(1)))
struct BrokerConnectionTests {
    @Test("a connection-level exception closes the connection with its reply code")
    func connectionException() throws {
        let connection = try TestBroker.connect()
        defer { connection.close() }
        let channel = try connection.openChannel(1)
        // An unknown exchange type is a connection error (503 COMMAND_INVALID) in RabbitMQ.
        #expect {
            try channel.declareExchange(name: TestBroker.uniqueName("bad"), type: "no-such-type")
        } throws: { error in
            guard let error = error as? AMQPError, case .connectionClosed(let code, _) = error.kind else { return false }
            return code == 503
        }
        #expect(!connection.isOpen)
        #expect(throws: AMQPError.self) { try connection.consumeMessage(timeout: .zero) }
        #expect(throws: AMQPError.self) { try connection.openChannel(2) }
        connection.close()
        connection.close()
    }

    @Test("a wrong password fails with 403 and the password appears nowhere")
    func wrongPassword() throws {
        var url = try TestBroker.url()
        url.password = "Wr0ng-Pa55word-\(UInt32.random(in: 0...UInt32.max))"
        do {
            let connection = try AMQPConnection(url: url, connectTimeout: .seconds(5))
            connection.close()
            Issue.record("login with a wrong password succeeded")
        } catch let error as AMQPError {
            #expect(error.replyCode == 403)
            #expect(!error.isRetriable)
            for text in [error.description, error.debugDescription, error.message, "\(error)", String(reflecting: error)] {
                #expect(!text.contains(url.password))
            }
            #expect(error.message.contains("***"))
        }
    }

    @Test("connection failures are prompt, retriable where that makes sense, and password-free")
    func connectionFailures() throws {
        var refused = try TestBroker.url()
        refused.port = 1
        refused.password = "Unused-Secret"
        #expect {
            _ = try AMQPConnection(url: refused, connectTimeout: .seconds(2))
        } throws: { error in
            guard let error = error as? AMQPError, case .connectionFailed = error.kind else { return false }
            return error.isRetriable && !"\(error)".contains("Unused-Secret")
        }

        // TLS against the plaintext port fails (not hangs) within the connect timeout.
        var tls = try TestBroker.url()
        tls.isTLS = true
        let started = ContinuousClock.now
        #expect(throws: AMQPError.self) {
            _ = try AMQPConnection(url: tls, connectTimeout: .seconds(3), tls: .init(verifyPeer: false, verifyHostname: false))
        }
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test("channels: misuse is reported, not crashed on")
    func misuse() throws {
        let connection = try TestBroker.connect()
        defer { connection.close() }
        let channel = try connection.openChannel(1)
        #expect(throws: AMQPError.self) { try connection.openChannel(1) }
        #expect(throws: AMQPError.self) { try connection.openChannel(0) }
        #expect(throws: AMQPError.self) { try channel.waitForConfirms(timeout: .seconds(1)) }
        channel.close()
        #expect(throws: AMQPError.self) { try channel.ack(deliveryTag: 1) }
        connection.close()
        #expect(throws: AMQPError.self) { try connection.openChannel(3) }

        // Dropping a connection without close() frees it in deinit.
        for _ in 0..<3 {
            let dropped = try TestBroker.connect()
            _ = try dropped.openChannel(1)
        }
    }
}
