import Testing
import MongoClient

@Suite("CRUD against a real mongod", .enabled(if: TestServer.isAvailable), .timeLimit(.minutes(2)))
struct CRUDTests {
    @Test func everyTypeRoundTripsThroughTheServer() throws {
        try TestServer.withDatabase { database throws in
            let collection = database.collection("types")
            var document = BSONTests.everyType
            document["timestamp"] = .unsupported(typeCode: 0x11, bytes: [1, 0, 0, 0, 2, 0, 0, 0])
            document["nested"] = ["deep": ["deeper": [.objectID(ObjectID()), .date(millisecondsSinceEpoch: 0)]]]
            let id = try collection.insertOne(document)
            #expect(id.objectIDValue != nil)
            let found = try #require(try collection.findOne(filter: ["_id": id]))
            #expect(found.keys.first == "_id")
            var expected = document
            expected["_id"] = id
            #expect(found.removingID() == document)
            #expect(found["_id"] == id)
            #expect(found.count == expected.count)
        }
    }

    @Test func insertOneKeepsAGivenID() throws {
        try TestServer.withDatabase { database throws in
            let collection = database.collection("ids")
            #expect(try collection.insertOne(["_id": "custom", "v": 1]) == "custom")
            #expect(try collection.findOne(filter: ["_id": "custom"])?.int64("v") == 1)
            let error = #expect(throws: MongoError.self) { try collection.insertOne(["_id": "custom"]) }
            #expect(error?.isDuplicateKey == true)
            #expect(error?.isInfrastructure == false)
        }
    }

    /// libmongoc 1.23 with MongoDB 6.0 stores dotted and `$`-prefixed keys as they are; only an
    /// empty key is refused. Callers that must reject such keys validate them themselves.
    @Test func keyValidationIsTheCallersJob() throws {
        try TestServer.withDatabase { database throws in
            let keys = database.collection("keys")
            let odd: BSONDocument = ["a.b": 1, "$dollar": ["x.y": "z"]]
            let id = try keys.insertOne(odd)
            #expect(try keys.findOne(filter: ["_id": id])?.removingID() == odd)
            let empty = #expect(throws: MongoError.self) { try keys.insertOne(["": 1]) }
            #expect(empty?.kind == .invalidArgument)
            #expect(empty?.isInfrastructure == false)
        }
    }

    @Test func replaceOneUpsertCreatesThenReplaces() throws {
        try TestServer.withDatabase { database throws in
            let jobs = database.collection("jobs")
            let created = try jobs.replaceOne(
                filter: ["external_id": "j-1"], replacement: ["external_id": "j-1", "title": "first"], upsert: true)
            #expect(created.matchedCount == 0)
            #expect(created.upsertedID?.objectIDValue != nil)
            let replaced = try jobs.replaceOne(
                filter: ["external_id": "j-1"], replacement: ["external_id": "j-1", "title": "second"], upsert: true)
            #expect(replaced.matchedCount == 1)
            #expect(replaced.modifiedCount == 1)
            #expect(replaced.upsertedID == nil)
            #expect(try jobs.countDocuments() == 1)
            #expect(try jobs.findOne(filter: ["external_id": "j-1"])?.string("title") == "second")
        }
    }

    @Test func conditionalUpsertThatMissesAnExistingUniqueKeyIsADuplicate() throws {
        try TestServer.withDatabase { database throws in
            let jobs = database.collection("jobs")
            try jobs.createIndexes([IndexModel(keys: ["external_id": 1], name: "external_id_unique", unique: true)])
            try jobs.insertOne(["external_id": "j-1", "version": 5])
            // "only if older than mine": the stored version is newer, so the filter misses and
            // the upsert tries to insert a second j-1.
            let error = #expect(throws: MongoError.self) {
                try jobs.replaceOne(
                    filter: ["external_id": "j-1", "version": ["$lt": 3]],
                    replacement: ["external_id": "j-1", "version": 3], upsert: true)
            }
            #expect(error?.isDuplicateKey == true)
            #expect(error?.code == 11000)
            #expect(error?.isInfrastructure == false)
            #expect(error?.description.contains("j-1") == false)
            #expect(try jobs.findOne(filter: ["external_id": "j-1"])?.int64("version") == 5)
        }
    }

    @Test func uniqueIndexCreationIsIdempotent() throws {
        try TestServer.withDatabase { database throws in
            let matches = database.collection("job_matches")
            let index = IndexModel(keys: ["user_id": 1, "job_id": 1], name: "user_job_unique", unique: true)
            try matches.createIndexes([index, IndexModel(keys: ["time": -1], name: "time_desc")])
            try matches.createIndexes([index, IndexModel(keys: ["time": -1], name: "time_desc")])
            let indexes = try matches.listIndexes()
            #expect(Set(indexes.compactMap { $0.string("name") }) == ["_id_", "user_job_unique", "time_desc"])
            let unique = try #require(indexes.first { $0.string("name") == "user_job_unique" })
            #expect(unique.bool("unique") == true)
            #expect(unique.document("key")?.keys == ["user_id", "job_id"])
            // Same name, different keys: refused.
            let conflict = #expect(throws: MongoError.self) {
                try matches.createIndexes([IndexModel(keys: ["other": 1], name: "user_job_unique")])
            }
            #expect(conflict?.isInfrastructure == false)
        }
    }

    @Test func updatesWithDocumentsAndPipelines() throws {
        try TestServer.withDatabase { database throws in
            let stats = database.collection("stats")
            try stats.insertMany([["u": 1, "n": 1], ["u": 2, "n": 10], ["u": 3, "n": 100]])
            let incremented = try stats.updateMany(filter: ["n": ["$gte": 10]], update: ["$inc": ["n": 1]])
            #expect(incremented.matchedCount == 2)
            #expect(incremented.modifiedCount == 2)
            let piped = try stats.updateOne(
                filter: ["u": 1],
                update: .pipeline([["$set": ["double": ["$multiply": ["$n", 2]], "tag": ["$literal": "$x"]]]]))
            #expect(piped.modifiedCount == 1)
            let one = try #require(try stats.findOne(filter: ["u": 1]))
            #expect(one.int64("double") == 2)
            #expect(one.string("tag") == "$x")
            let upserted = try stats.updateOne(filter: ["u": 4], update: .pipeline([["$set": ["n": 0]]]), upsert: true)
            #expect(upserted.upsertedID != nil)
            let refused = #expect(throws: MongoError.self) { try stats.updateOne(filter: ["u": 1], update: ["n": 5]) }
            #expect(refused?.kind == .invalidArgument)
            #expect(try stats.deleteOne(filter: ["u": ["$gte": 0]]) == 1)
            #expect(try stats.deleteMany(filter: [:]) == 3)
            #expect(try stats.countDocuments() == 0)
        }
    }

    @Test func findWithOptionsAndStreaming() throws {
        try TestServer.withDatabase { database throws in
            let items = database.collection("items")
            try items.insertMany((0..<50).map { ["i": .int32(Int32($0)), "even": .bool($0 % 2 == 0)] }, ordered: false)
            let page = try items.find(
                filter: ["even": true],
                options: FindOptions(sort: ["i": -1], projection: ["_id": 0, "i": 1], limit: 3, skip: 1))
            #expect(page == [["i": .int32(46)], ["i": .int32(44)], ["i": .int32(42)]])
            var streamed = 0
            try items.find(options: FindOptions(batchSize: 7)) { _ in streamed += 1 }
            #expect(streamed == 50)
            #expect(try items.findOne(filter: ["i": 999]) == nil)
            #expect(try items.findOne(options: FindOptions(sort: ["i": -1]))?.int32("i") == 49)
            let stop = #expect(throws: Deliberate.self) {
                try items.find { _ in throw Deliberate() }
            }
            #expect(stop != nil)
        }
    }

    @Test func countDocumentsAndAggregate() throws {
        try TestServer.withDatabase { database throws in
            let interactions = database.collection("user_job_interactions")
            let user = ObjectID()
            try interactions.insertMany([
                ["user_id": .objectID(user), "interaction_type": "viewed"],
                ["user_id": .objectID(user), "interaction_type": "viewed"],
                ["user_id": .objectID(user), "interaction_type": "saved"],
                ["user_id": .objectID(ObjectID()), "interaction_type": "viewed"],
            ])
            #expect(try interactions.countDocuments(filter: ["user_id": .objectID(user)]) == 3)
            #expect(try interactions.countDocuments(filter: ["user_id": .objectID(user), "interaction_type": "viewed"]) == 2)
            #expect(try interactions.countDocuments(filter: ["nobody": true]) == 0)
            #expect(try interactions.estimatedDocumentCount() == 4)
            #expect(try database.collection("never_created").estimatedDocumentCount() == 0)
            let grouped = try interactions.aggregate([
                ["$match": ["user_id": .objectID(user)]],
                ["$group": ["_id": "$interaction_type", "count": ["$sum": 1]]],
                ["$sort": ["_id": 1]],
            ])
            #expect(grouped.map { $0.string("_id") } == ["saved", "viewed"])
            #expect(grouped.map { $0.int64("count") } == [1, 2])
            let error = #expect(throws: MongoError.self) { try interactions.aggregate([["$bogus": 1]]) }
            #expect(error?.isInfrastructure == false)
        }
    }

    @Test func databaseCommandsAndDrops() throws {
        try TestServer.withDatabase { database throws in
            let reply = try database.runCommand(["ping": 1])
            #expect(reply.double("ok") == 1)
            let failing = #expect(throws: MongoError.self) { try database.runCommand(["noSuchCommand": 1]) }
            #expect(failing?.kind == .server(59))
            try database.collection("a").insertOne(["x": 1])
            #expect(try database.listCollectionNames() == ["a"])
            try database.collection("a").drop()
            try database.collection("a").drop()  // already gone
            #expect(try database.listCollectionNames().isEmpty)
            #expect(try database.collection("never").listIndexes().isEmpty)
        }
    }
}

extension BSONDocument {
    fileprivate func removingID() -> BSONDocument {
        var copy = self
        copy["_id"] = nil
        return copy
    }
}
