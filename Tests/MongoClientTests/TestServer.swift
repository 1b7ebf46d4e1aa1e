import JobHuntTesting
import MongoClient

/// The shared MongoDB (`TestServers.mongoURI`, a replica set, for transactions) as these tests
/// use it. Tests that need it are disabled when it is not given.
enum TestServer {
    static let uri: String? = TestServers.mongoURI
    static var isAvailable: Bool { uri != nil }

    /// Runs `body` with a pool and a database of its own (uniquely named), dropped and closed
    /// afterwards whatever happens.
    static func withDatabase<R>(_ body: (MongoDatabase) throws -> R) throws -> R {
        let pool = try MongoClientPool(uri: uri!, appName: "jobhunt-mongoclient-tests")
        defer { pool.close() }
        let database = pool.database("mongoclient_test_\(ObjectID().hex)")
        defer { try? database.drop() }
        return try body(database)
    }
}

/// An error a test throws on purpose.
struct Deliberate: Error, Equatable {}
