import Testing
import MongoClient

@Suite("Bulk writes against a real mongod", .enabled(if: TestServer.isAvailable), .timeLimit(.minutes(2)))
struct BulkWriteTests {
    static func uniqueJobs(_ database: MongoDatabase) throws -> MongoCollection {
        let jobs = database.collection("jobs")
        try jobs.createIndexes([IndexModel(keys: ["external_id": 1], name: "external_id_unique", unique: true)])
        return jobs
    }

    @Test func unorderedDuplicateInTheMiddleFailsAloneAndMapsToItsIndex() throws {
        try TestServer.withDatabase { database throws in
            let jobs = try Self.uniqueJobs(database)
            try jobs.insertOne(["external_id": "existing"])
            let result = try jobs.bulkWrite([
                .insertOne(["external_id": "a"]),
                .replaceOne(filter: ["external_id": "b"], replacement: ["external_id": "b", "v": 1], upsert: true),
                .insertOne(["external_id": "existing"]),  // duplicate
                .updateOne(filter: ["external_id": "c"], update: .document(["$set": ["v": 2]]), upsert: true),
                .updateOne(filter: ["external_id": "a"], update: .document(["no_operator": 1])),  // refused by libmongoc
                .insertOne(["external_id": "d"]),
                .deleteOne(filter: ["external_id": "nothing"]),
            ], ordered: false)
            #expect(result.writeErrors.map(\.index) == [2, 4])
            let duplicate = try #require(result.writeErrors.first)
            #expect(duplicate.isDuplicateKey)
            #expect(duplicate.code == 11000)
            #expect(result.writeErrors[1].kind == .invalidArgument)
            #expect(result.insertedCount == 2)
            #expect(result.upsertedCount == 2)
            #expect(Set(result.upsertedIDs.keys) == [1, 3])
            #expect(result.deletedCount == 0)
            let stored = try jobs.find(options: FindOptions(sort: ["external_id": 1])).compactMap { $0.string("external_id") }
            #expect(stored == ["a", "b", "c", "d", "existing"])
        }
    }

    @Test func orderedStopsAtTheFirstError() throws {
        try TestServer.withDatabase { database throws in
            let jobs = try Self.uniqueJobs(database)
            let result = try jobs.bulkWrite([
                .insertOne(["external_id": "a"]),
                .insertOne(["external_id": "a"]),
                .insertOne(["external_id": "b"]),
            ], ordered: true)
            #expect(result.writeErrors.map(\.index) == [1])
            #expect(result.insertedCount == 1)
            #expect(try jobs.countDocuments() == 1)
        }
    }

    @Test func orderedStopsAtARefusedOperation() throws {
        try TestServer.withDatabase { database throws in
            let jobs = database.collection("jobs")
            let result = try jobs.bulkWrite([
                .insertOne(["external_id": "a"]),
                .replaceOne(filter: ["external_id": "a"], replacement: ["$set": ["v": 1]]),  // refused
                .insertOne(["external_id": "b"]),
            ], ordered: true)
            #expect(result.writeErrors.map(\.index) == [1])
            #expect(result.writeErrors.first?.kind == .invalidArgument)
            #expect(try jobs.countDocuments() == 1)
        }
    }

    @Test func everyKindOfOperation() throws {
        try TestServer.withDatabase { database throws in
            let items = database.collection("items")
            try items.insertMany((0..<10).map { ["i": .int64(Int64($0)), "g": .int64(Int64($0 % 2))] })
            let result = try items.bulkWrite([
                .updateMany(filter: ["g": 0], update: .document(["$set": ["even": true]])),
                .updateOne(filter: ["i": 1], update: .pipeline([["$set": ["odd": true]]])),
                .deleteMany(filter: ["i": ["$gte": 8]]),
                .deleteOne(filter: ["i": 7]),
                .replaceOne(filter: ["i": 3], replacement: ["i": 3, "replaced": true]),
            ], ordered: false)
            #expect(result.writeErrors.isEmpty)
            #expect(result.matchedCount == 5 + 1 + 1)
            #expect(result.modifiedCount == 7)
            #expect(result.deletedCount == 3)
            #expect(try items.countDocuments() == 7)
            #expect(try items.countDocuments(filter: ["even": true]) == 4)
        }
    }

    @Test func emptyBulkIsANoOp() throws {
        try TestServer.withDatabase { database throws in
            let result = try database.collection("c").bulkWrite([])
            #expect(result == BulkWriteResult())
        }
    }

    @Test func manySmallDocuments() throws {
        try TestServer.withDatabase { database throws in
            let events = database.collection("events")
            try events.createIndexes([IndexModel(keys: ["k": 1], name: "k_unique", unique: true)])
            let count = 20_000
            let models = (0..<count).map { index -> WriteModel in
                .replaceOne(
                    filter: ["k": .int64(Int64(index))],
                    replacement: ["k": .int64(Int64(index)), "title": "job \(index)", "skills": ["swift", "mongodb"]],
                    upsert: true)
            }
            let started = ContinuousClock.now
            let result = try events.bulkWrite(models, ordered: false)
            let elapsed = ContinuousClock.now - started
            #expect(result.upsertedCount == count)
            #expect(result.writeErrors.isEmpty)
            print("bulkWrite: \(count) upserting replaceOne in \(elapsed)")
            #expect(try events.countDocuments() == count)
        }
    }
}
