import AMQPClient
import Foundation
import JobHuntHandlers
import JobHuntStore
import JobHuntWorker
import Logging
import MongoClient
import JobHuntEvents
import JobHuntWorkload
import Synchronization
import Testing

/// Whether the real servers were given (deploy/test.sh sets both variables).
let serversAvailable =
    ProcessInfo.processInfo.environment["JOBHUNT_TEST_AMQP_URL"] != nil
    && ProcessInfo.processInfo.environment["JOBHUNT_TEST_MONGODB_URI"] != nil

/// One test's private world on the shared servers: its own exchange, queue prefix and
/// database, all removed by `tearDown()`.
final class TestBed: Sendable {
    let configuration: WorkerConfiguration
    let pool: MongoClientPool
    let topology: Topology
    let logger: Logger

    init(
        retryWindowSeconds: Int = 5, deliveryLimit: Int = 20, prefetch: Int = 50, mongoURI: String? = nil, amqpURL: String? = nil
    ) throws {
        let environment = ProcessInfo.processInfo.environment
        let name = "t\(UInt64.random(in: 0..<UInt64.max) % 1_000_000_000_000)"
        var configuration = WorkerConfiguration()
        configuration.amqpURL = amqpURL ?? environment["JOBHUNT_TEST_AMQP_URL"] ?? configuration.amqpURL
        configuration.mongoURI = mongoURI ?? environment["JOBHUNT_TEST_MONGODB_URI"] ?? configuration.mongoURI
        configuration.database = "jobhunt_\(name)"
        configuration.exchange = "\(name).events"
        configuration.queuePrefix = name
        configuration.retryWindowSeconds = retryWindowSeconds
        configuration.deliveryLimit = deliveryLimit
        configuration.prefetch = prefetch
        self.configuration = configuration
        self.pool = try MongoClientPool(uri: configuration.mongoURI)
        self.topology = Topology(configuration)
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        self.logger = logger
    }

    var database: MongoDatabase { pool.database(configuration.database) }

    /// The worker's environment, for child processes.
    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["AMQP_URL"] = configuration.amqpURL
        environment["MONGODB_URI"] = configuration.mongoURI
        environment["MONGODB_DATABASE"] = configuration.database
        environment["JOBHUNT_EXCHANGE"] = configuration.exchange
        environment["JOBHUNT_QUEUE_PREFIX"] = configuration.queuePrefix
        environment["JOBHUNT_RETRY_WINDOW_S"] = "\(configuration.retryWindowSeconds)"
        environment["JOBHUNT_DELIVERY_LIMIT"] = "\(configuration.deliveryLimit)"
        environment["JOBHUNT_PREFETCH"] = "\(configuration.prefetch)"
        return environment
    }

    func setUp() throws {
        try Declarations.apply(configuration, pool: pool, logger: logger)
    }

    /// Publishes raw bodies (valid or not) with confirms, routed as `routingKey`.
    func publish(_ bodies: [[UInt8]], routingKey: String = "job.posted", headers: AMQPTable = [:]) throws {
        let channel = try openChannel()
        try channel.enableConfirms()
        for body in bodies {
            _ = try channel.publish(
                exchange: configuration.exchange, routingKey: routingKey, body: body,
                properties: AMQPMessageProperties(contentType: EventPublisher.contentType, headers: headers, deliveryMode: .persistent),
                mandatory: true)
        }
        let confirms = try channel.waitForConfirms(timeout: .seconds(60))
        #expect(confirms.allDelivered, "the broker refused a test message")
    }

    /// Inserts users as the REST backend would: an ObjectId `_id` and a unique email.
    func insertUsers(_ ids: [ObjectIDHex]) throws {
        guard !ids.isEmpty else { return }
        try database.collection("users").insertMany(ids.map { id in
            ["_id": .objectID(ObjectID(bytes: id.bytes)!), "email": .string("\(id.hex)@example.com"), "name": "Test User"]
        }, ordered: false)
    }

    /// Publishes every message of a workload with its routing key, in order, with confirms.
    func publish(_ workload: Workload) throws {
        let channel = try openChannel()
        try channel.enableConfirms()
        for message in workload.messages {
            _ = try channel.publish(exchange: configuration.exchange, routingKey: message.routingKey, body: message.body,
                                    properties: AMQPMessageProperties(deliveryMode: .persistent), mandatory: true)
            if channel.outstandingConfirms >= 500 {
                #expect(try channel.waitForConfirms(timeout: .seconds(60)).allDelivered)
            }
        }
        #expect(try channel.waitForConfirms(timeout: .seconds(60)).allDelivered)
    }

    /// Every dead-letter record, bodies left out.
    func deadLetters() throws -> [DeadLetter] {
        try DeadLetterStore(database: database).list(DeadLetterFilter())
    }

    /// Messages waiting in every work and retry queue.
    func messagesInFlight() throws -> Int {
        let channel = try openChannel()
        return try (topology.workQueues + Topology.retryDelays.map { topology.retryQueue(delaySeconds: $0) })
            .reduce(0) { $0 + Int(try channel.declareQueuePassive(name: $1).messageCount) }
    }

    /// Messages waiting in the delay queues for a retry.
    func messagesWaitingForRetry() throws -> Int {
        let channel = try openChannel()
        return try Topology.retryDelays.map { topology.retryQueue(delaySeconds: $0) }
            .reduce(0) { $0 + Int(try channel.declareQueuePassive(name: $1).messageCount) }
    }

    /// Messages waiting in `queue` (not counting those delivered and unacked).
    func messageCount(_ queue: String) throws -> Int {
        Int(try openChannel().declareQueuePassive(name: queue).messageCount)
    }

    /// Runs the worker in this process until `body` returns, then stops it gracefully; `hooks`
    /// stop its consumers at fixed points; `storage` (by default MongoDB's) may wrap the store.
    func withWorker(
        hooks: PipelineHooks = PipelineHooks(), storage: (any JobHuntStorage)? = nil, _ body: () async throws -> Void
    ) async throws {
        let storage = storage ?? MongoJobHuntStorage(database: database)
        let worker = WorkerService(
            configuration: configuration,
            processor: MessageProcessor(handler: EventHandler(storage: storage)),
            deadLetters: DeadLetterStore(database: database), logger: logger, hooks: hooks)
        let task = Task { try await worker.run() }
        do {
            try await body()
            task.cancel()
            try await task.value
        } catch {
            task.cancel()
            _ = try? await task.value
            throw error
        }
    }

    func tearDown() {
        if let connection = try? configuration.brokers().connect().connection {
            if let channel = try? connection.openChannel(1) {
                for queue in topology.allQueues {
                    _ = try? channel.deleteQueue(name: queue)
                }
                for exchange in [topology.exchange, topology.deadLetterExchange, topology.retryExchange] {
                    try? channel.deleteExchange(name: exchange)
                }
            }
            connection.close()
        }
        try? database.drop()
        pool.close()
    }
}

/// Polls `condition` every `interval` until it holds; throws `ConditionTimeout` (failing the test)
/// if it still does not hold after `timeout`.
func waitUntil(
    timeout: Duration = .seconds(60), every interval: Duration = .milliseconds(50),
    sourceLocation: String = #fileID, line: Int = #line, _ condition: @escaping () throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    // Each check runs on a thread of its own: checks read (and compare) whole collections, and
    // on Swift's small cooperative pool they would starve the other tests running beside.
    let check = UncheckedSendableCondition(condition: condition)
    while ContinuousClock.now < deadline {
        if try await onOwnThread({ try check.condition() }) { return }
        try await Task.sleep(for: interval)
    }
    if try condition() { return }
    throw ConditionTimeout(description: "condition at \(sourceLocation):\(line) did not hold within \(timeout)")
}

/// A condition that a test waited for never held.
struct ConditionTimeout: Error, CustomStringConvertible {
    let description: String
}

/// Runs blocking `body` on a thread of its own, so that it does not hold one of the few threads
/// of Swift's cooperative pool (as many as cores), which every other running test needs too:
/// in-process workers start from it and `waitUntil` polls from it.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

/// A test's condition handed to another thread. Unchecked: `waitUntil` never runs it on two
/// threads at once, and the test awaits each run.
private struct UncheckedSendableCondition: @unchecked Sendable {
    let condition: () throws -> Bool
}

/// Runs blocking `body` (a long computation, a bulk publish) on a thread of its own and
/// returns its value; see `onOwnThread`. Unchecked: the caller awaits it, so `body` and its
/// value are never used from two threads at once.
func offThePool<T>(_ body: @escaping () throws -> T) async throws -> T {
    let work = UncheckedBox(value: body)
    return try await onOwnThread { UncheckedBox(value: try work.value()) }.value
}

private struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
}
