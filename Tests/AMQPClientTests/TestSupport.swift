#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import JobHuntTesting
import Testing
@testable import AMQPClient

/// The shared broker (`TestServers.amqpURL`) as these tests connect to it. Tests that need it
/// are disabled when it is not given.
enum TestBroker {
    static let urlString: String? = TestServers.amqpURL

    static var isConfigured: Bool { urlString != nil }

    static func url() throws -> AMQPURL {
        try AMQPURL(try #require(urlString, "JOBHUNT_TEST_AMQP_URL is not set"))
    }

    static func connect(heartbeatSeconds: Int = 30, clientName: String = "AMQPClientTests") throws -> AMQPConnection {
        try AMQPConnection(
            url: try url(), heartbeatSeconds: heartbeatSeconds, connectTimeout: .seconds(5),
            clientName: clientName, rpcTimeout: .seconds(20))
    }

    /// A name no other test (or test run) uses.
    static func uniqueName(_ label: String) -> String {
        "amqpclient-test.\(label).\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
    }

    /// Deletes test queues and exchanges on a fresh connection, whatever state the test's
    /// own connection is in. Errors are ignored: cleanup must not hide the real failure.
    static func cleanUp(queues: [String] = [], exchanges: [String] = []) {
        guard let connection = try? connect(clientName: "AMQPClientTests cleanup") else { return }
        defer { connection.close() }
        guard let channel = try? connection.openChannel(1) else { return }
        for queue in queues { _ = try? channel.deleteQueue(name: queue) }
        for exchange in exchanges { try? channel.deleteExchange(name: exchange) }
    }
}

/// Collects `count` deliveries, failing if they do not arrive within `timeout`.
func receive(_ count: Int, from connection: AMQPConnection, timeout: Duration = .seconds(10)) throws -> [AMQPDelivery] {
    let deadline = ContinuousClock.now + timeout
    var deliveries: [AMQPDelivery] = []
    while deliveries.count < count {
        let remaining = deadline - ContinuousClock.now
        guard remaining > .zero, let delivery = try connection.consumeMessage(timeout: remaining) else {
            Issue.record("received \(deliveries.count) of \(count) deliveries before the timeout")
            return deliveries
        }
        deliveries.append(delivery)
    }
    return deliveries
}

/// Polls `basic.get` until a message arrives (dead-lettering is asynchronous).
func getEventually(_ channel: AMQPChannel, queue: String, timeout: Duration = .seconds(10)) throws -> AMQPDelivery? {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if let delivery = try channel.get(queue: queue) { return delivery }
        usleep(50_000)
    }
    return nil
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
