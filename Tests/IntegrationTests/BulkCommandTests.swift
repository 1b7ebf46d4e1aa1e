import JobHuntTesting
import MongoClient
import Testing

/// An unordered bulk that mixes kinds of operation goes to the server as one command per kind,
/// not one per change of kind (libmongoc starts a new command at each change), and its results
/// still name the caller's indexes. Counted on a mongod of the test's own, where nothing else
/// sends commands.
@Suite(.enabled(if: serversAvailable && PrivateReplicaSet.available), .timeLimit(.minutes(2)))
struct BulkCommandTests {
    private func commandCount(_ name: String, _ database: MongoDatabase) throws -> Int {
        let status = try database.runCommand(["serverStatus": 1])
        return status.document("metrics")?.document("commands")?.document(name)?.int("total") ?? -1
    }

    @Test func aMixedUnorderedBulkIsOneCommandPerKindWithTheCallersIndexes() async throws {
        let replicaSet = PrivateReplicaSet()
        defer { replicaSet.remove() }
        try await onOwnThread { try replicaSet.start() }
        let pool = try MongoClientPool(uri: replicaSet.uri)
        defer { pool.close() }
        let database = pool.database("bulk_commands")
        let collection = database.collection("items")
        try collection.insertMany((0..<50).map { ["_id": .int64(Int64($0)), "v": .int64(0)] })

        // Alternating: insert of a new item, replacement of a stored one; one duplicate insert.
        var models: [WriteModel] = []
        for n in 0..<50 {
            models.append(.insertOne(["_id": .int64(Int64(100 + n)), "v": .int64(1)]))
            models.append(.replaceOne(filter: ["_id": .int64(Int64(n))], replacement: ["v": .int64(2)]))
        }
        models.append(.insertOne(["_id": .int64(0)]))
        let (inserts, updates) = (try commandCount("insert", database), try commandCount("update", database))
        let result = try collection.bulkWrite(models, ordered: false)

        #expect(try commandCount("insert", database) - inserts == 1)
        #expect(try commandCount("update", database) - updates == 1)
        #expect(result.insertedCount == 50)
        #expect(result.modifiedCount == 50)
        #expect(result.writeErrors.map(\.index) == [100], "the duplicate is not named by its own index")
        #expect(result.writeErrors.first?.isDuplicateKey == true)
    }
}
