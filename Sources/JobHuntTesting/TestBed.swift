import Foundation
import JobHuntEvents
import JobHuntHandlers
import JobHuntStore
import JobHuntWorker
import Logging
import MongoClient

/// One test's private world on the shared servers: its own exchange, queue prefix and
/// database, all removed by `tearDown()`.
public final class TestBed: Sendable {
    public let configuration: WorkerConfiguration
    public let pool: MongoClientPool
    public let topology: Topology
    public let logger: Logger

    /// Servers default to `TestServers`; `mongoURI` and `amqpURL` point the bed at private ones.
    public init(
        retryWindowSeconds: Int = 5, deliveryLimit: Int = 20, prefetch: Int = 50, mongoURI: String? = nil, amqpURL: String? = nil
    ) throws {
        let name = "t\(UInt64.random(in: 0..<UInt64.max) % 1_000_000_000_000)"
        var configuration = WorkerConfiguration()
        configuration.amqpURL = amqpURL ?? TestServers.amqpURL ?? configuration.amqpURL
        configuration.mongoURI = mongoURI ?? TestServers.mongoURI ?? configuration.mongoURI
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

    public var database: MongoDatabase { pool.database(configuration.database) }

    /// The worker's environment, for child processes.
    public var environment: [String: String] {
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

    /// Declares the topology and the indexes, as `jobhunt-worker setup` does.
    public func setUp() throws {
        try Declarations.apply(configuration, pool: pool, logger: logger)
    }

    /// Inserts users as the REST backend would: an ObjectId `_id` and a unique email.
    public func insertUsers(_ ids: [ObjectIDHex]) throws {
        guard !ids.isEmpty else { return }
        try database.collection("users").insertMany(ids.map { id in
            ["_id": .objectID(ObjectID(bytes: id.bytes)!), "email": .string("\(id.hex)@example.com"), "name": "Test User"]
        }, ordered: false)
    }

    /// Every dead-letter record, bodies left out.
    public func deadLetters() throws -> [DeadLetter] {
        try DeadLetterStore(database: database).list(DeadLetterFilter())
    }

    /// Runs the worker in this process until `body` returns, then stops it gracefully; `hooks`
    /// stop its consumers at fixed points; `storage` (by default MongoDB's) may wrap the store.
    public func withWorker(
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

    /// Deletes the bed's queues, exchanges and database. Errors are ignored: cleanup must not
    /// hide the real failure.
    public func tearDown() {
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
