import Foundation
import JobHuntEvents
import JobHuntHandlers
import JobHuntStore
import JobHuntTesting
import JobHuntWorkload
import Testing

/// Hostile input at volume: random and mutated bodies among valid events. The worker never
/// crashes, every bad body becomes a dead letter with the reason the decoder gives, and every
/// valid event is applied.
@Suite(.enabled(if: serversAvailable), .timeLimit(.minutes(5)))
struct FuzzTests {
    @Test func thousandsOfMutatedBodiesNeverCrashTheWorkerAndLoseNothing() async throws {
        let bed = try TestBed(prefetch: 100)
        defer { bed.tearDown() }
        try bed.setUp()
        let (bodies, expectedDead, expectedJobs) = try await offThePool { () throws -> ([[UInt8]], [String: DeadLetterReason], Set<String>) in
            var random = SplitMix64(seed: 4242)
            let valid = (0..<500).map { TestEvents.fullJobPosted(id: "v\($0)", time: "2026-11-24T10:00:00Z", externalID: "fz-\($0)").body }
            var bodies = valid
            for index in 0..<2_500 {
                bodies.append(Mutator.mutate(valid[index % valid.count], using: &random))
            }
            bodies.shuffle(using: &random)

            var expectedDead: [String: DeadLetterReason] = [:]
            var expectedJobs = Set<String>()
            for body in bodies {
                do {
                    let event = try EventDecoder.decode(body)
                    if case .jobPosted(let job) = event.payload { expectedJobs.insert(job.externalID) }
                } catch let error as EventDecodingError {
                    expectedDead[DeadLetter.id(ofBody: body)] = DeadLetterReason(error.reason)
                }
            }
            return (bodies, expectedDead, expectedJobs)
        }
        #expect(expectedDead.count > 1_500, "the mutator made too few invalid bodies to mean anything")

        try await offThePool { try bed.publish(bodies) }
        let worker = WorkerProcess(arguments: ["run"], environment: bed.environment)
        try worker.start()
        let jobs = bed.database.collection("jobs")
        try await waitUntil(timeout: .seconds(180), every: .milliseconds(500)) {
            try bed.deadLetters().count == expectedDead.count && jobs.countDocuments() == expectedJobs.count
        }
        #expect(worker.process.isRunning, "the worker crashed")
        let records = try bed.deadLetters()
        #expect(Dictionary(uniqueKeysWithValues: records.map { ($0.id, $0.reason) }) == expectedDead)
        let stored = Set(try jobs.find().compactMap { $0.string("external_id") })
        #expect(stored == expectedJobs)
        #expect(try bed.messagesInFlight() == 0)
        worker.signal(SIGTERM)
        #expect(try await worker.waitForExit().status == 0)
    }
}

/// Ways to break a valid body: flipped bytes, truncation, garbage, operator objects, forbidden
/// keys, deep nesting, huge values, invalid UTF-8, wrong types.
enum Mutator {
    static func mutate(_ body: [UInt8], using random: inout SplitMix64) -> [UInt8] {
        var bytes = body
        switch Int.random(in: 0..<10, using: &random) {
        case 0:
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let position = Int.random(in: 0..<bytes.count, using: &random)
                bytes[position] ^= UInt8.random(in: 1...255, using: &random)
            }
        case 1:
            bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &random)))
        case 2:
            bytes = (0..<Int.random(in: 0...300, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
        case 3:
            bytes = replacing(#""external_id":"#, with: #""external_id":{"$ne":null},"x":"#, in: bytes)
        case 4:
            bytes = replacing(#""ml_features":{"#, with: #""ml_features":{"$where":"sleep(1000)","#, in: bytes)
        case 5:
            bytes = replacing(#""salary_range":{"#, with: #""salary_range":{"a.b":1,"#, in: bytes)
        case 6:
            let depth = Int.random(in: 30...200, using: &random)
            bytes = replacing(#""description":"Research.""#, with: #""description":"# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth), in: bytes)
        case 7:
            bytes = replacing(#""description":"Research.""#, with: #""description":""# + String(repeating: "x", count: Int.random(in: 100_001...300_000, using: &random)) + "\"", in: bytes)
        case 8:
            bytes = replacing(#"Research."#, with: "Re\u{FFFD}s", in: bytes)
            if let position = bytes.firstIndex(of: 0xEF) { bytes[position] = 0xC0 }
        default:
            bytes = replacing(#""title":"Research Scientist""#, with: #""title":["Research","Scientist"]"#, in: bytes)
        }
        return bytes
    }

    private static func replacing(_ target: String, with replacement: String, in bytes: [UInt8]) -> [UInt8] {
        let text = String(decoding: bytes, as: UTF8.self)
        return Array(text.replacingOccurrences(of: target, with: replacement).utf8)
    }
}
