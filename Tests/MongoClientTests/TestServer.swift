#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MongoClient

/// The MongoDB the integration tests use: `JOBHUNT_TEST_MONGODB_URI` (a replica set, for
/// transactions). Tests that need it are disabled when it is unset.
enum TestServer {
    static let uri: String? = getenv("JOBHUNT_TEST_MONGODB_URI").map { String(cString: $0) }
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
