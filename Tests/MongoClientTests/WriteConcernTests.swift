import MongoClient
import Testing

/// `run` warns when the URI asks for less than `w=majority`; the pool reads it from the URI.
@Suite struct WriteConcernTests {
    @Test(arguments: [
        ("mongodb://127.0.0.1:1/?replicaSet=rs0", nil),
        ("mongodb://127.0.0.1:1/?replicaSet=rs0&w=majority", true),
        ("mongodb://127.0.0.1:1/?w=1", false),
        ("mongodb://127.0.0.1:1/?w=2&journal=true", false),
    ] as [(String, Bool?)])
    func theURIsWriteConcernIsRead(uri: String, majority: Bool?) throws {
        let pool = try MongoClientPool(uri: uri)
        defer { pool.close() }
        #expect(pool.requestsMajorityWrites == majority)
    }
}
