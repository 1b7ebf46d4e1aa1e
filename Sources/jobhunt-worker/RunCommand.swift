import ArgumentParser
import JobHuntHandlers
import JobHuntStore
import JobHuntWorker
import MongoClient
import ServiceLifecycle

/// `jobhunt-worker run`: declarations, then consume until SIGTERM/SIGINT, drain, exit 0.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Declare topology and indexes, then consume events until SIGTERM or SIGINT.")

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let configuration = try connection.configuration()
        let logger = LoggingBootstrap.makeLogger()
        let operations = try Operations(configuration: configuration)
        defer { operations.stop() }
        if let address = configuration.httpAddress {
            logger.info("operations endpoints listening", metadata: ["http.address": "\(address)"])
        }
        let pool: MongoClientPool
        do {
            pool = try MongoClientPool(uri: configuration.mongoURI)
        } catch {
            throw RuntimeFailure("cannot use MONGODB_URI: \(error)")
        }
        defer { pool.close() }
        if pool.requestsMajorityWrites == false {
            logger.warning("MONGODB_URI sets a write concern other than w=majority: a write acknowledged by a primary that crashes before replicating it is rolled back, after its message was acked. Use w=majority")
        }
        let database = pool.database(configuration.database)
        let processor = MessageProcessor(handler: EventHandler(
            storage: MongoJobHuntStorage(database: database), partitions: UserPartitions(count: configuration.userPartitions)))
        let worker = WorkerService(
            configuration: configuration, processor: processor, deadLetters: DeadLetterStore(database: database), logger: logger,
            prepare: { try Declarations.apply(configuration, pool: pool, logger: logger) },
            drainLimit: .seconds(configuration.drainTimeoutSeconds), health: operations.health)
        let group = ServiceGroup(
            services: [worker], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        do {
            try await group.run()
        } catch {
            throw RuntimeFailure("the worker stopped: \(error)")
        }
    }
}
