import Foundation

/// The shared RabbitMQ and MongoDB the tests run against, from the environment (deploy/env.sh
/// sets both). Tests that need a server are disabled when its variable is unset.
public enum TestServers {
    /// `JOBHUNT_TEST_AMQP_URL`, e.g. `amqp://guest:guest@127.0.0.1:5682/%2f`.
    public static let amqpURL: String? = ProcessInfo.processInfo.environment["JOBHUNT_TEST_AMQP_URL"]
    /// `JOBHUNT_TEST_MONGODB_URI`: a replica set, for transactions.
    public static let mongoURI: String? = ProcessInfo.processInfo.environment["JOBHUNT_TEST_MONGODB_URI"]
}

/// Whether both servers were given: what the integration tests need.
public let serversAvailable = TestServers.amqpURL != nil && TestServers.mongoURI != nil
