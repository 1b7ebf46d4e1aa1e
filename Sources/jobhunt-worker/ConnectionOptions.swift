import ArgumentParser
import Foundation
import JobHuntWorker

/// Flags shared by every command: each overrides the environment variable of the same meaning.
/// No default is shown in `--help`, so a URL with a password can never appear there.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .customLong("amqp-url"), help: "Broker URL (env AMQP_URL).")
    var amqpURL: String?

    @Option(name: .customLong("amqp-url-file"), help: ArgumentHelp("File holding the broker URL (env AMQP_URL_FILE).", valueName: "path"))
    var amqpURLFile: String?

    @Option(name: .customLong("mongodb-uri"), help: "MongoDB URI (env MONGODB_URI).")
    var mongoURI: String?

    @Option(name: .customLong("mongodb-uri-file"), help: ArgumentHelp("File holding the MongoDB URI (env MONGODB_URI_FILE).", valueName: "path"))
    var mongoURIFile: String?

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

    @Option(name: .customLong("batch-size"), help: "Most deliveries written as one batch (env JOBHUNT_BATCH_SIZE).")
    var batchSize: Int?

    @Option(name: .customLong("batch-wait-ms"), help: "Longest wait for a batch to fill while idle (env JOBHUNT_BATCH_WAIT_MS).")
    var batchWaitMilliseconds: Int?

    @Option(name: .customLong("consumers"), help: "Consumers per work queue (env JOBHUNT_CONSUMERS).")
    var consumersPerQueue: Int?

    /// The environment's configuration with these flags applied, validated.
    func configuration() throws -> WorkerConfiguration {
        var configuration: WorkerConfiguration
        do {
            configuration = try WorkerConfiguration(environment: ProcessInfo.processInfo.environment)
        } catch {
            throw ValidationError(error.description)
        }
        if let amqpURL = try Self.secret(amqpURL, "--amqp-url", file: amqpURLFile, "--amqp-url-file") {
            configuration.amqpURL = amqpURL
        }
        if let mongoURI = try Self.secret(mongoURI, "--mongodb-uri", file: mongoURIFile, "--mongodb-uri-file") {
            configuration.mongoURI = mongoURI
        }
        if let database { configuration.database = database }
        if let exchange { configuration.exchange = exchange }
        if let queuePrefix { configuration.queuePrefix = queuePrefix }
        let integers: [(flag: String, variable: String, value: Int?)] = [
            ("--retry-window", "JOBHUNT_RETRY_WINDOW_S", retryWindowSeconds), ("--prefetch", "JOBHUNT_PREFETCH", prefetch),
            ("--batch-size", "JOBHUNT_BATCH_SIZE", batchSize), ("--batch-wait-ms", "JOBHUNT_BATCH_WAIT_MS", batchWaitMilliseconds),
            ("--consumers", "JOBHUNT_CONSUMERS", consumersPerQueue),
        ]
        for (flag, variable, value) in integers {
            guard let value else { continue }
            do {
                try configuration.set(variable, to: value, named: flag)
            } catch {
                throw ValidationError(error.description)
            }
        }
        do {
            try configuration.validate()
        } catch {
            throw ValidationError(error.description)
        }
        return configuration
    }

    /// The secret a flag gives, or the one read from the file its `-file` twin names; both is a
    /// usage error, as for the environment variables.
    private static func secret(_ value: String?, _ flag: String, file path: String?, _ fileFlag: String) throws -> String? {
        switch (value, path) {
        case (nil, nil): return nil
        case (let value?, nil): return value
        case (.some, .some): throw ValidationError("\(flag) and \(fileFlag) are both given; give only one of them")
        case (nil, let path?):
            do {
                return try WorkerConfiguration.secretFromFile(atPath: path, named: fileFlag)
            } catch {
                throw ValidationError(error.description)
            }
        }
    }
}
