import ArgumentParser
import Foundation
import JobHuntWorker

/// Flags shared by every command: each overrides the environment variable of the same meaning.
/// No default is shown in `--help`, so a URL with a password can never appear there.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .customLong("amqp-url"), help: "Broker URL (env AMQP_URL).")
    var amqpURL: String?

    @Option(name: .customLong("mongodb-uri"), help: "MongoDB URI (env MONGODB_URI).")
    var mongoURI: String?

    @Option(name: .customLong("database"), help: "MongoDB database (env MONGODB_DATABASE).")
    var database: String?

    @Option(name: .customLong("exchange"), help: "Topic exchange (env JOBHUNT_EXCHANGE).")
    var exchange: String?

    @Option(name: .customLong("queue-prefix"), help: "Prefix of every queue (env JOBHUNT_QUEUE_PREFIX).")
    var queuePrefix: String?

    @Option(name: .customLong("retry-window"), help: "Seconds a missing reference is retried (env JOBHUNT_RETRY_WINDOW_S).")
    var retryWindowSeconds: Int?

    @Option(name: .customLong("prefetch"), help: "Unacked deliveries per consumer (env JOBHUNT_PREFETCH).")
    var prefetch: Int?

    /// The environment's configuration with these flags applied, validated.
    func configuration() throws -> WorkerConfiguration {
        var configuration: WorkerConfiguration
        do {
            configuration = try WorkerConfiguration(environment: ProcessInfo.processInfo.environment)
        } catch {
            throw ValidationError(error.description)
        }
        if let amqpURL { configuration.amqpURL = amqpURL }
        if let mongoURI { configuration.mongoURI = mongoURI }
        if let database { configuration.database = database }
        if let exchange { configuration.exchange = exchange }
        if let queuePrefix { configuration.queuePrefix = queuePrefix }
        if let retryWindowSeconds {
            guard retryWindowSeconds > 0 else { throw ValidationError("--retry-window must be positive") }
            configuration.retryWindowSeconds = retryWindowSeconds
        }
        if let prefetch {
            guard (1...65_535).contains(prefetch) else { throw ValidationError("--prefetch must be 1 to 65535") }
            configuration.prefetch = prefetch
        }
        do {
            try configuration.validate()
        } catch {
            throw ValidationError(error.description)
        }
        return configuration
    }
}
