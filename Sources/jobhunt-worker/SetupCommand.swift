import ArgumentParser
import JobHuntWorker
import MongoClient

/// `jobhunt-worker setup`: only the declarations of `run`, then exit.
struct SetupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "setup", abstract: "Declare the AMQP topology and the MongoDB indexes, then exit.")

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let configuration = try connection.configuration()
        let logger = LoggingBootstrap.makeLogger()
        let pool = try MongoClientPool(uri: configuration.mongoURI)
        defer { pool.close() }
        do {
            try Declarations.apply(configuration, pool: pool, logger: logger)
        } catch {
            throw RuntimeFailure("setup failed: \(error)")
        }
    }
}
