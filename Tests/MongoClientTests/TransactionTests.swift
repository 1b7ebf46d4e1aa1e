import Testing
import MongoClient

@Suite("Sessions and transactions against a real mongod", .enabled(if: TestServer.isAvailable), .timeLimit(.minutes(2)))
struct TransactionTests {
    @Test func committedTransactionIsVisible() throws {
        try TestServer.withDatabase { database throws in
            let jobs = database.collection("jobs")
            let stats = database.collection("stats")
            try jobs.insertOne(["setup": true])  // collections must exist before a transaction on 4.2
            try stats.insertOne(["setup": true])
            let value = try database.pool.withSession { session in
                try session.withTransaction {
                    try jobs.insertOne(["external_id": "j-1"], session: session)
                    try stats.updateOne(filter: ["setup": true], update: ["$inc": ["jobs": 1]], session: session)
                    #expect(session.isInTransaction)
                    // Inside, the transaction sees its own write; outside, nobody does yet.
                    #expect(try jobs.countDocuments(filter: ["external_id": "j-1"], session: session) == 1)
                    #expect(try jobs.countDocuments(filter: ["external_id": "j-1"]) == 0)
                    return 42
                }
            }
            #expect(value == 42)
            #expect(try jobs.countDocuments(filter: ["external_id": "j-1"]) == 1)
            #expect(try stats.findOne(filter: ["setup": true])?.int64("jobs") == 1)
        }
    }

    @Test func thrownErrorRollsBack() throws {
        try TestServer.withDatabase { database throws in
            let jobs = database.collection("jobs")
            try jobs.insertOne(["setup": true])
            var attempts = 0
            #expect(throws: Deliberate.self) {
                try database.pool.withSession { session in
                    try session.withTransaction {
                        attempts += 1
                        try jobs.insertOne(["external_id": "j-1"], session: session)
                        _ = try jobs.bulkWrite([.insertOne(["external_id": "j-2"])], session: session)
                        throw Deliberate()
                    }
                }
            }
            #expect(attempts == 1)
            #expect(try jobs.countDocuments() == 1)
        }
    }

    @Test func writeErrorInsideATransactionAbortsIt() throws {
        try TestServer.withDatabase { database throws in
            let jobs = database.collection("jobs")
            try jobs.createIndexes([IndexModel(keys: ["external_id": 1], name: "external_id_unique", unique: true)])
            try jobs.insertOne(["external_id": "existing"])
            let error = #expect(throws: MongoError.self) {
                try database.pool.withSession { session in
                    try session.withTransaction {
                        try jobs.insertOne(["external_id": "new"], session: session)
                        // In a transaction a bulk write error throws instead of being reported.
                        _ = try jobs.bulkWrite([.insertOne(["external_id": "existing"])], ordered: false, session: session)
                    }
                }
            }
            #expect(error?.isDuplicateKey == true)
            #expect(try jobs.countDocuments() == 1)
        }
    }

    @Test func writeConflictRetriesTheWholeTransaction() throws {
        try TestServer.withDatabase { database throws in
            let counters = database.collection("counters")
            try counters.insertOne(["_id": "c", "n": 0])
            var attempts = 0
            try database.pool.withSession { session in
                try session.withTransaction {
                    attempts += 1
                    // Take the transaction's snapshot, then let someone else change the document.
                    _ = try counters.findOne(filter: ["_id": "c"], session: session)
                    if attempts == 1 {
                        try counters.updateOne(filter: ["_id": "c"], update: ["$inc": ["n": 100]])
                    }
                    try counters.updateOne(filter: ["_id": "c"], update: ["$inc": ["n": 1]], session: session)
                }
            }
            #expect(attempts == 2)
            #expect(try counters.findOne(filter: ["_id": "c"])?.int64("n") == 101)
        }
    }

    @Test func sessionCannotOutliveItsScope() throws {
        try TestServer.withDatabase { database throws in
            let escaped = try database.pool.withSession { $0 }
            let error = #expect(throws: MongoError.self) {
                try database.collection("c").insertOne(["a": 1], session: escaped)
            }
            #expect(error?.kind == .invalidArgument)
        }
    }

    @Test func nestedTransactionIsRefused() throws {
        try TestServer.withDatabase { database throws in
            try database.collection("c").insertOne(["setup": true])
            let error = #expect(throws: MongoError.self) {
                try database.pool.withSession { session in
                    try session.withTransaction {
                        try session.withTransaction {}
                    }
                }
            }
            #expect(error?.kind == .transaction)
        }
    }
}
