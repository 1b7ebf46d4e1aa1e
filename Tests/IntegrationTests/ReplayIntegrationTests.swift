import Foundation
import JobHuntTesting
import JSON
import JobHuntEvents
import JobHuntStore
import MongoClient
import Testing

/// The operator's side: `jobhunt-worker dlq …` as a person or a script runs it.
@Suite(.enabled(if: serversAvailable), .timeLimit(.minutes(3)))
struct ReplayIntegrationTests {
    let user = ObjectIDHex(hex: "64b7f0c2a1b2c3d4e5f6cccc")!

    private func cli(_ arguments: [String], _ bed: TestBed) async throws -> (status: Int32, output: String) {
        let process = WorkerProcess(arguments: arguments, environment: bed.environment)
        try process.start()
        return try await process.waitForExit()
    }

    @Test func replayingAMissingReferenceAfterItsJobArrivedAppliesItOnce() async throws {
        let bed = try TestBed(retryWindowSeconds: 2)
        defer { bed.tearDown() }
        try bed.setUp()
        try bed.insertUsers([user])
        let userOID = ObjectID(bytes: user.bytes)!
        let match = TestEvents.fullMatch(id: "m1", time: "2026-11-24T11:00:00Z", user: user, job: .externalID("job-late"), skillsMissing: ["Go"]).body
        try bed.publish([match], routingKey: "match.computed")
        let matches = bed.database.collection("job_matches")
        try await bed.withWorker {
            try await waitUntil(timeout: .seconds(90)) { try bed.deadLetters().first?.reason == .missingReference }
            try bed.publish([TestEvents.fullJobPosted(id: "j1", time: "2026-11-24T10:00:00Z", externalID: "job-late").body])
            try await waitUntil { try bed.database.collection("jobs").countDocuments() == 1 }

            let dryRun = try await cli(["dlq", "replay", "--reason", "missing_reference", "--dry-run"], bed)
            #expect(dryRun.status == 0)
            #expect(dryRun.output.contains("1 dead letters would be replayed"))
            #expect(try bed.deadLetters().first?.status == .dead, "--dry-run changed a record")

            let replay = try await cli(["dlq", "replay", "--reason", "missing_reference"], bed)
            #expect(replay.status == 0, "\(replay.output)")
            #expect(replay.output.contains("replayed 1 dead letters"))
            try await waitUntil { try matches.countDocuments() == 1 }

            let again = try await cli(["dlq", "replay", "--reason", "missing_reference"], bed)
            #expect(again.output.contains("replayed 0 dead letters"))
            try await Task.sleep(for: .seconds(1))
        }
        #expect(try matches.countDocuments() == 1)
        let record = try #require(try bed.deadLetters().first)
        #expect(record.status == .replayed)
        #expect(record.replayedAt != nil)
        let stats = try #require(try bed.database.collection("user_stats").findOne(filter: ["user_id": .objectID(userOID)]))
        #expect(stats["top_missing_skill"] == .string("Go"))
    }

    @Test func listShowStatsAndDiscardSpeakToPeopleAndScripts() async throws {
        let bed = try TestBed()
        defer { bed.tearDown() }
        try bed.setUp()
        let malformed: [UInt8] = Array("{\"broken\": ".utf8) + [0xFF]
        let unknown = Array(#"{"specversion":"1.0","id":"u1","source":"s","type":"JobDeleted","time":"2026-11-24T10:00:00Z","data":{}}"#.utf8)
        try bed.publish([malformed, unknown])
        try await bed.withWorker {
            try await waitUntil { try bed.deadLetters().count == 2 }
        }
        let malformedID = DeadLetter.id(ofBody: malformed)

        let list = try await cli(["dlq", "list"], bed)
        #expect(list.status == 0)
        #expect(list.output.contains("REASON"))
        #expect(list.output.contains(String(malformedID.prefix(12))))
        #expect(list.output.contains("unknown_type"))

        let json = try await cli(["dlq", "list", "--json", "--reason", "unknown_type"], bed)
        let lines = json.output.split(separator: "\n")
        #expect(lines.count == 1)
        let object = try JSONParser.parse(Array(lines[0].utf8)).objectValue
        #expect(object?["reason"] == .string("unknown_type"))
        #expect(object?["event_id"] == .string("u1"))

        let show = try await cli(["dlq", "show", String(malformedID.prefix(10)), "--json"], bed)
        #expect(show.status == 0, "\(show.output)")
        let shown = try JSONParser.parse(Array(show.output.utf8.filter { $0 != 0x0A })).objectValue
        #expect(shown?["body_base64"] == .string(Data(malformed).base64EncodedString()))
        #expect(shown?["body_text"] == .null)

        let stats = try await cli(["dlq", "stats", "--json"], bed)
        #expect(stats.output.split(separator: "\n").filter { $0.contains(#""reason":"#) }.count == 2)
        #expect(stats.output.contains(#""dead":1"#))

        let discard = try await cli(["dlq", "discard", "--reason", "malformed"], bed)
        #expect(discard.output.contains("discarded 1 dead letters"))
        #expect(try bed.deadLetters().first { $0.id == malformedID }?.status == .discarded)
        let replayAll = try await cli(["dlq", "replay", "--all", "--dry-run"], bed)
        #expect(replayAll.output.contains("1 dead letters would be replayed"), "discarded ones are not replayed")
    }

    @Test func operatorMistakesAreUsageErrorsWithoutStackTraces() async throws {
        let bed = try TestBed()
        defer { bed.tearDown() }
        try bed.setUp()
        let noSelection = try await cli(["dlq", "replay"], bed)
        #expect(noSelection.status == 64)
        #expect(noSelection.output.contains("--all"))
        let badReason = try await cli(["dlq", "list", "--reason", "bogus"], bed)
        #expect(badReason.status == 64)
        #expect(badReason.output.contains("missing_reference"))
        let unknownID = try await cli(["dlq", "show", "abcdef123456"], bed)
        #expect(unknownID.status == 1)
        #expect(unknownID.output.contains("no dead letter with id abcdef123456"))
        let notAnID = try await cli(["dlq", "show", "{\"$ne\":1}"], bed)
        #expect(notAnID.status == 1)
        #expect(notAnID.output.contains("is not a dead-letter id"))
        for output in [noSelection.output, badReason.output, unknownID.output, notAnID.output] {
            #expect(!output.contains("Fatal error") && !output.contains("Stack dump"))
        }
    }
}
