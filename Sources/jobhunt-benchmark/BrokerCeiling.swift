import AMQPClient
import Foundation
import JobHuntWorker
import JobHuntWorkload
import Synchronization

/// Publishing a workload, and ceiling A: consuming and acking it with no writes at all.
enum BrokerCeiling {
    /// Publishes every message with its routing key, persistent, with a confirm window of 1000.
    /// Returns messages per second.
    static func publish(_ workload: Workload, configuration: WorkerConfiguration) throws -> Double {
        let channel = try configuration.brokers().connect().connection.openChannel(1)
        defer { channel.connection.close() }
        try channel.enableConfirms()
        let properties = AMQPMessageProperties(contentType: EventPublisher.contentType, deliveryMode: .persistent)
        let start = ContinuousClock.now
        for message in workload.messages {
            _ = try channel.publish(exchange: configuration.exchange, routingKey: message.routingKey, body: message.body, properties: properties, mandatory: false)
            if channel.outstandingConfirms >= 1_000 { _ = try channel.waitForConfirms(outstandingAtMost: 500, timeout: .seconds(60)) }
        }
        _ = try channel.waitForConfirms(timeout: .seconds(120))
        return Double(workload.messages.count) / (ContinuousClock.now - start).seconds
    }

    /// Drains every work queue (one thread and connection each; prefetch 1000, one multiple-ack
    /// per 100) and returns messages per second.
    static func drain(queues: [String: Int], configuration: WorkerConfiguration) throws -> Double {
        let total = queues.values.reduce(0, +)
        let start = ContinuousClock.now
        let group = DispatchGroup()
        let failures = FailureBox()
        for (queue, expected) in queues where expected > 0 {
            group.enter()
            Thread {
                defer { group.leave() }
                do { try drainOne(queue, expected: expected, configuration: configuration) } catch { failures.record(error) }
            }.start()
        }
        group.wait()
        if let error = failures.first { throw error }
        return Double(total) / (ContinuousClock.now - start).seconds
    }

    private static func drainOne(_ queue: String, expected: Int, configuration: WorkerConfiguration) throws {
        let connection = try configuration.brokers().connect(heartbeatSeconds: 30).connection
        defer { connection.close() }
        let channel = try connection.openChannel(1)
        try channel.setPrefetch(count: 1_000)
        _ = try channel.consume(queue: queue)
        var received = 0
        var lastTag: UInt64 = 0
        var unacked = 0
        while received < expected {
            guard let delivery = try connection.consumeMessage(timeout: .milliseconds(100)) else {
                if unacked > 0 { try channel.ack(deliveryTag: lastTag, multiple: true); unacked = 0 }
                continue
            }
            received += 1
            lastTag = delivery.deliveryTag
            unacked += 1
            if unacked >= 100 { try channel.ack(deliveryTag: lastTag, multiple: true); unacked = 0 }
        }
        if unacked > 0 { try channel.ack(deliveryTag: lastTag, multiple: true) }
    }
}

/// The first error of several threads.
final class FailureBox: Sendable {
    private let errors = Mutex<[any Error]>([])

    func record(_ error: any Error) { errors.withLock { $0.append(error) } }
    var first: (any Error)? { errors.withLock { $0.first } }
}

extension Duration {
    /// The duration in seconds, as a Double.
    var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) / 1e18
    }
}
