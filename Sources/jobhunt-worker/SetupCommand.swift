import ArgumentParser
import JobHuntWorker
import Logging
import MongoClient

/// `jobhunt-worker setup`: only the declarations of `run`, then exit.
struct SetupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "setup", abstract: "Declare the AMQP topology and the MongoDB indexes, then exit.")

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let configuration = try connection.configuration()
        let pool = try Self.declare(configuration, logger: LoggingBootstrap.makeLogger())
        pool.close()
    }

    /// Opens the MongoDB pool and makes every declaration. The caller closes the pool.
    static func declare(_ configuration: WorkerConfiguration, logger: Logger) throws -> MongoClientPool {
        let pool: MongoClientPool
        do {
            pool = try MongoClientPool(uri: configuration.mongoURI)
            try Declarations.apply(configuration, pool: pool, logger: logger)
        } catch {
            throw RuntimeFailure("setup failed: \(error)")
        }
        return pool
    }
}
