import Foundation
import JobHuntEvents
import JobHuntTesting
import MongoClient
import Testing

@Suite(.enabled(if: serversAvailable), .timeLimit(.minutes(2)))
struct StatsRebuildTests {
    @Test func checkFindsDriftAndRebuildRepairsIt() async throws {
        let bed = try TestBed()
        defer { bed.tearDown() }
        try bed.setUp()
        let user = ObjectIDHex(hex: "64b7f0c2a1b2c3d4e5f6aaaa")!
        let userOID = ObjectID(bytes: user.bytes)!
        try bed.insertUsers([user])
        try bed.publish([TestEvents.fullJobPosted(id: "j1", time: "2026-11-24T10:00:00Z", externalID: "job-1").body])
        try bed.publish([TestEvents.interaction(id: "i1", time: "2026-11-24T12:00:00Z", user: user, job: "job-1", type: .viewed).body], routingKey: "interaction.recorded")
        let stats = bed.database.collection("user_stats")
        try await bed.withWorker {
            try await waitUntil { try stats.findOne(filter: ["user_id": .objectID(userOID)])?["jobs_viewed"]?.intValue == 1 }
        }
        try stats.updateOne(filter: ["user_id": .objectID(userOID)], update: ["$set": ["jobs_viewed": .int64(5), "top_missing_skill": "COBOL"]])

        let check = WorkerProcess(arguments: ["stats", "rebuild", "--check"], environment: bed.environment)
        try check.start()
        let (checkStatus, checkOutput) = try await check.waitForExit()
        #expect(checkStatus == 1)
        #expect(checkOutput.contains(user.hex))
        #expect(try stats.findOne(filter: ["user_id": .objectID(userOID)])?["jobs_viewed"]?.intValue == 5, "--check wrote")

        let rebuild = WorkerProcess(arguments: ["stats", "rebuild", "--user", user.hex], environment: bed.environment)
        try rebuild.start()
        #expect(try await rebuild.waitForExit().status == 0)
        let repaired = try #require(try stats.findOne(filter: ["user_id": .objectID(userOID)]))
        #expect(repaired["jobs_viewed"]?.intValue == 1)
        #expect(repaired["top_missing_skill"] == .null)

        let recheck = WorkerProcess(arguments: ["stats", "rebuild", "--check"], environment: bed.environment)
        try recheck.start()
        #expect(try await recheck.waitForExit().status == 0)
    }

    @Test func checkFindsDriftInTheKeptSkillCountsAndRebuildRepairsThem() async throws {
        let bed = try TestBed()
        defer { bed.tearDown() }
        try bed.setUp()
        let user = ObjectIDHex(hex: "64b7f0c2a1b2c3d4e5f6bbbb")!
        let userOID = ObjectID(bytes: user.bytes)!
        try bed.insertUsers([user])
        try bed.publish([TestEvents.fullJobPosted(id: "j1", time: "2026-11-24T10:00:00Z", externalID: "job-1").body])
        try bed.publish([TestEvents.match(id: "m1", user: user, job: "job-1", skillsMissing: ["Go", "a.b"]).body], routingKey: "match.computed")
        let stats = bed.database.collection("user_stats")
        try await bed.withWorker {
            try await waitUntil { try stats.findOne(filter: ["user_id": .objectID(userOID)])?["top_missing_skill"] == "Go" }
        }
        // The visible stats stay right; only the kept counts are wrong (a lost delta).
        try stats.updateOne(filter: ["user_id": .objectID(userOID)], update: ["$set": ["missing_skill_counts": .array([
            .document(["skill": "Go", "count": .int64(1)]),
        ])]])

        let check = WorkerProcess(arguments: ["stats", "rebuild", "--check"], environment: bed.environment)
        try check.start()
        let (checkStatus, checkOutput) = try await check.waitForExit()
        #expect(checkStatus == 1)
        #expect(checkOutput.contains(user.hex))

        let rebuild = WorkerProcess(arguments: ["stats", "rebuild"], environment: bed.environment)
        try rebuild.start()
        #expect(try await rebuild.waitForExit().status == 0)
        let repaired = try #require(try stats.findOne(filter: ["user_id": .objectID(userOID)]))
        #expect(repaired.array("missing_skill_counts") == [
            .document(["skill": "Go", "count": .int64(1)]), .document(["skill": "a.b", "count": .int64(1)]),
        ])
        let recheck = WorkerProcess(arguments: ["stats", "rebuild", "--check"], environment: bed.environment)
        try recheck.start()
        #expect(try await recheck.waitForExit().status == 0)
    }

    @Test func aBadUserIDIsAUsageError() async throws {
        let bed = try TestBed()
        defer { bed.tearDown() }
        let rebuild = WorkerProcess(arguments: ["stats", "rebuild", "--user", "not-an-id"], environment: bed.environment)
        try rebuild.start()
        let (status, output) = try await rebuild.waitForExit()
        #expect(status == 64)
        #expect(output.contains("--user"))
    }
}
