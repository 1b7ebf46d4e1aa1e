import AMQPClient
import Foundation
import JobHuntEvents
import JobHuntHandlers
import JobHuntStore
import JobHuntTesting
import MongoClient
import Testing

/// Every dead-letter reason produced by a real message over AMQP, the record checked field by
/// field, and the valid events around it applied.
@Suite(.enabled(if: serversAvailable), .timeLimit(.minutes(2)))
struct DeadLetterIntegrationTests {
    let user = ObjectIDHex(hex: "64b7f0c2a1b2c3d4e5f6bbbb")!

    private func record(of body: [UInt8], in bed: TestBed) throws -> DeadLetter {
        try DeadLetterStore(database: bed.database).find(idPrefix: DeadLetter.id(ofBody: body))
    }

    @Test func eachDecodingAndHandlingReasonIsRecordedWithItsBodyByteForByte() async throws {
        let bed = try TestBed(retryWindowSeconds: 2)
        defer { bed.tearDown() }
        try bed.setUp()
        try bed.insertUsers([user])
        // The REST backend's own rule on jobs: MongoDB refuses a title over 40 characters.
        _ = try bed.database.runCommand(["collMod": "jobs", "validator": ["$jsonSchema": ["properties": ["title": ["maxLength": 40]]]]])

        var invalidUTF8 = Array(#"{"specversion":"1.0","id":"x","source":"s","type":"JobPosted","time":"2026-11-24T10:00:00Z","data":{"external_id":"a","title":""#.utf8)
        invalidUTF8 += [0xC3, 0x28] + Array(#"","company":"c"}}"#.utf8)
        let cases: [(body: [UInt8], routingKey: String, reason: DeadLetterReason, eventID: String?)] = [
            (invalidUTF8, "job.posted", .malformed, nil),
            (Array(repeating: UInt8(ascii: " "), count: (1 << 20) + 1), "job.posted", .malformed, nil),
            (Array(#"{"specversion":"1.0","id":"s1","source":"s","type":"JobPosted","time":"2026-11-24T10:00:00Z","data":{"title":"t","company":"c","external_id":{"$gt":""}}}"#.utf8), "job.posted", .schemaInvalid, "s1"),
            (Array(#"{"specversion":"1.0","id":"u1","source":"s","type":"JobDeleted","time":"2026-11-24T10:00:00Z","data":{}}"#.utf8), "job.posted", .unknownType, "u1"),
            (TestEvents.fullJobPosted(id: "c1", time: "2026-11-24T10:00:00Z", externalID: "job-long", title: String(repeating: "T", count: 41)).body, "job.posted", .constraintViolation, "c1"),
            (TestEvents.fullMatch(id: "r1", time: "2026-11-24T11:00:00Z", user: user, job: .externalID("job-never")).body, "match.computed", .missingReference, "r1"),
        ]
        let first = TestEvents.interaction(id: "i1", time: "2026-11-24T12:00:00Z", user: user, job: "job-1", type: .saved).body
        let duplicate = TestEvents.interaction(id: "i2", time: "2026-11-24T12:00:00Z", user: user, job: "job-1", type: .saved).body
        try bed.publish([TestEvents.fullJobPosted(id: "j1", time: "2026-11-24T10:00:00Z", externalID: "job-1").body])
        for item in cases { try bed.publish([item.body], routingKey: item.routingKey) }
        try bed.publish([TestEvents.fullJobPosted(id: "j2", time: "2026-11-24T10:00:00Z", externalID: "job-2").body])
        try await bed.withWorker {
            try await waitUntil { try bed.database.collection("jobs").countDocuments() == 2 }
            try bed.publish([first], routingKey: "interaction.recorded")
            try await waitUntil { try bed.database.collection("user_job_interactions").countDocuments() == 1 }
            try bed.publish([duplicate], routingKey: "interaction.recorded")
            try await waitUntil(timeout: .seconds(90)) { try bed.deadLetters().count == cases.count + 1 }
        }
        for item in cases {
            let record = try record(of: item.body, in: bed)
            #expect(record.reason == item.reason, "\(item.reason)")
            #expect(record.body == item.body, "\(item.reason): body differs")
            #expect(record.eventID == item.eventID, "\(item.reason)")
            #expect(record.routingKey == item.routingKey, "\(item.reason)")
            #expect(record.status == .dead)
            #expect(record.attempts == 1)
            #expect(!record.detail.isEmpty)
            #expect(record.firstFailedAt > 0 && record.lastFailedAt >= record.firstFailedAt)
        }
        let duplicateRecord = try record(of: duplicate, in: bed)
        #expect(duplicateRecord.reason == .duplicateInteraction)
        #expect(duplicateRecord.eventType == "InteractionRecorded")
        #expect(duplicateRecord.queue == bed.topology.queue(for: .interactionRecorded))
        #expect(try record(of: cases[5].body, in: bed).queue == bed.topology.queue(for: .matchComputed))
        #expect(try bed.database.collection("jobs").countDocuments(filter: ["external_id": "job-long"]) == 0)

        // The raw document: contract §6 names and BSON types.
        let raw = try #require(try bed.database.collection("dead_letters").findOne(filter: ["_id": .string(DeadLetter.id(ofBody: cases[2].body))]))
        #expect(raw["body"]?.binaryValue?.bytes == cases[2].body)
        #expect(raw["headers"]?.documentValue != nil)
        #expect(raw["first_failed_at"]?.dateValue != nil)
        #expect(raw["last_failed_at"]?.dateValue != nil)
        #expect(raw["event_type"] == .string("JobPosted"))
        #expect(raw["status"] == .string("dead"))
    }

    @Test func theSameMessageFailingAgainUpdatesItsRecord() async throws {
        let bed = try TestBed()
        defer { bed.tearDown() }
        try bed.setUp()
        let bad = Array(#"{"specversion":"1.0","id":"b1","source":"s","type":"JobPosted","time":"never","data":{}}"#.utf8)
        try bed.publish([bad, bad, bad])
        try await bed.withWorker {
            try await waitUntil { try bed.deadLetters().first?.attempts == 3 }
        }
        #expect(try bed.deadLetters().count == 1)
    }

    @Test func aMessageThatKeepsFailingDeliveryBecomesPoison() async throws {
        let bed = try TestBed(deliveryLimit: 2)
        defer { bed.tearDown() }
        try bed.setUp()
        let body = TestEvents.fullJobPosted(id: "p1", time: "2026-11-24T10:00:00Z", externalID: "job-p").body
        try bed.publish([body], headers: ["trace-id": .string("abc"), "attempt.note": .int64(7)])
        // A consumer that crashes on it, again and again: the broker gives up after the limit.
        let channel = try bed.openChannel()
        var deliveries = 0
        while let delivery = try channel.get(queue: bed.topology.queue(for: .jobPosted)) {
            deliveries += 1
            try channel.nack(deliveryTag: delivery.deliveryTag, requeue: true)
        }
        #expect(deliveries >= 2)
        try await bed.withWorker {
            try await waitUntil { try bed.deadLetters().count == 1 }
        }
        let record = try record(of: body, in: bed)
        #expect(record.reason == .poison)
        #expect(record.eventID == "p1")
        #expect(record.queue == bed.topology.queue(for: .jobPosted))
        #expect(record.routingKey == "job.posted")
        #expect(record.detail.contains("delivery limit"))
        #expect(record.headers["trace-id"] == .string("abc"))
        #expect(record.headers["attempt%2Enote"] == .int64(7))
        #expect(record.headers["x-death"] != nil)
    }
}
