import Dispatch
import Testing
import MongoClient

@Suite("The client pool under concurrency", .enabled(if: TestServer.isAvailable), .timeLimit(.minutes(2)))
struct PoolTests {
    @Test func manyThreadsShareOnePool() throws {
        try TestServer.withDatabase { database throws in
            let collection = database.collection("concurrent")
            let threads = 8
            let perThread = 50
            let failures = Counter()
            DispatchQueue.concurrentPerform(iterations: threads) { thread in
                for index in 0..<perThread {
                    do {
                        try collection.insertOne(["thread": .int64(Int64(thread)), "i": .int64(Int64(index))])
                    } catch {
                        failures.add()
                    }
                }
            }
            let stored = try collection.countDocuments()
            #expect(failures.value == 0)
            #expect(stored == threads * perThread)
        }
    }

    @Test func closeWaitsForOperationsInProgress() throws {
        let pool = try MongoClientPool(uri: TestServer.uri!)
        let database = pool.database("mongoclient_test_\(ObjectID().hex)")
        try database.collection("c").insertOne(["a": 1])
        let insideOperation = DispatchSemaphore(value: 0)
        let finished = Counter()
        let failures = Counter()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            do {
                try database.collection("c").find { _ in
                    insideOperation.signal()
                    sleepMilliseconds(300)  // still inside the operation while close() runs
                }
                finished.add()
            } catch {
                failures.add()
            }
        }
        insideOperation.wait()
        try database.drop()
        pool.close()  // must wait for the find to give its client back
        #expect(finished.value == 1)
        group.wait()
        #expect(failures.value == 0)
        let error = #expect(throws: MongoError.self) { try database.runCommand(["ping": 1]) }
        #expect(error?.kind == .poolClosed)
    }

    @Test func closeWaitsForTheLastOfSeveralOperations() throws {
        let name = "mongoclient_test_\(ObjectID().hex)"
        let pool = try MongoClientPool(uri: TestServer.uri!)
        try pool.database(name).collection("c").insertOne(["a": 1])
        let operations = 4
        let insideOperation = DispatchSemaphore(value: 0)
        let finished = Counter()
        let group = DispatchGroup()
        for index in 0..<operations {
            DispatchQueue.global().async(group: group) {
                _ = try? pool.database(name).collection("c").find { _ in  // one document: called once
                    insideOperation.signal()
                    sleepMilliseconds(100 * (index + 1))  // they give their clients back one by one
                    finished.add()
                }
            }
        }
        for _ in 0..<operations { insideOperation.wait() }
        pool.close()
        #expect(finished.value == operations)
        pool.close()  // again: returns at once
        group.wait()
        try MongoClientPool(uri: TestServer.uri!).database(name).drop()
    }
}

/// A counter that threads may bump concurrently.
final class Counter: @unchecked Sendable {
    private let lock = DispatchQueue(label: "failure-count")
    private var count = 0
    func add() { lock.sync { count += 1 } }
    var value: Int { lock.sync { count } }
}

func sleepMilliseconds(_ milliseconds: Int) {
    let semaphore = DispatchSemaphore(value: 0)
    _ = semaphore.wait(timeout: .now() + .milliseconds(milliseconds))
}
