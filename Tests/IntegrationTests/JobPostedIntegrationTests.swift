import JobHuntEvents
import JobHuntStore
import JobHuntTesting
import MongoClient
import Testing

@Suite(.enabled(if: serversAvailable), .timeLimit(.minutes(2)))
struct JobPostedIntegrationTests {
    @Test func aPublishedJobLandsWithTheSeedFieldsAndBSONTypes() async throws {
        let bed = try TestBed()
        defer { bed.tearDown() }
        try bed.setUp()
        try bed.publish([TestEvents.fullJobPosted(id: "e1", time: "2026-11-24T10:15:00Z", externalID: "job-123").body])
        let jobs = bed.database.collection("jobs")
        try await bed.withWorker {
            try await waitUntil { try jobs.countDocuments(filter: [:]) == 1 }
        }
        let job = try #require(try jobs.findOne(filter: ["external_id": "job-123"]))
        #expect(job["_id"]?.objectIDValue != nil)
        #expect(job["title"] == .string("Research Scientist"))
        #expect(job["company"] == .string("OpenAI Labs"))
        #expect(job["description"] == .string("Research."))
        #expect(job["location"] == .string("San Francisco"))
        #expect(job["remote_type"] == .string("hybrid"))
        #expect(job["skills_required"] == .array([.string("Statistics"), .string("Python")]))
        #expect(job["posted_date"] == .date(millisecondsSinceEpoch: Timestamp(rfc3339: "2026-11-24T09:00:00.250Z")!.millisecondsSinceEpoch))
        #expect(job["source_url"] == .string("https://example.com/job/123"))
        #expect(job["source_platform"] == .string("LinkedIn"))
        #expect(job.document("salary_range") == ["min": .int64(140000), "max": .double(200000.5), "currency": .string("USD")])
        #expect(job.document("ml_features") == [
            "processed_text": .string("research python"),
            "keyword_vector": .array([.double(0.1), .double(0.5), .int64(1)]),
        ])
        #expect(job["is_active"] == .bool(true))
    }

    @Test func theSameEventThreeTimesGivesOneDocumentAndOneEffect() async throws {
        let bed = try TestBed()
        defer { bed.tearDown() }
        try bed.setUp()
        let body = TestEvents.fullJobPosted(id: "e1", time: "2026-11-24T10:15:00Z", externalID: "job-1").body
        try bed.publish([body, body, body])
        let jobs = bed.database.collection("jobs")
        try await bed.withWorker {
            try await waitUntil { try bed.messageCount(bed.topology.queue(for: .jobPosted)) == 0 }
            try await waitUntil { try jobs.countDocuments(filter: [:]) == 1 }
        }
        let job = try #require(try jobs.findOne(filter: ["external_id": "job-1"]))
        let firstID = job["_id"]
        #expect(try jobs.countDocuments(filter: [:]) == 1)
        #expect(job["last_event_id"] == .string("e1"))
        // One effect: redelivery never replaced the document (same _id) nor dead-lettered it.
        #expect(try jobs.findOne(filter: ["external_id": "job-1"])?["_id"] == firstID)
        #expect(try bed.deadLetters().isEmpty)
    }

    @Test func anOlderEventAfterANewerOneChangesNothing() async throws {
        let bed = try TestBed()
        defer { bed.tearDown() }
        try bed.setUp()
        try bed.publish([
            TestEvents.fullJobPosted(id: "new", time: "2026-11-24T12:00:00Z", externalID: "job-1", title: "Newer").body,
            TestEvents.fullJobPosted(id: "old", time: "2026-11-24T11:00:00Z", externalID: "job-1", title: "Older").body,
        ])
        let jobs = bed.database.collection("jobs")
        try await bed.withWorker {
            try await waitUntil { try bed.messageCount(bed.topology.queue(for: .jobPosted)) == 0 }
            try await waitUntil { try jobs.findOne(filter: ["external_id": "job-1"])?["title"] == .string("Newer") }
        }
        let job = try #require(try jobs.findOne(filter: ["external_id": "job-1"]))
        #expect(job["title"] == .string("Newer"))
        #expect(job["last_event_id"] == .string("new"))
        #expect(try jobs.countDocuments(filter: [:]) == 1)
    }

    @Test func aWithdrawalSetsIsActiveFalseAndKeepsTheDocument() async throws {
        let bed = try TestBed()
        defer { bed.tearDown() }
        try bed.setUp()
        try bed.publish([
            TestEvents.fullJobPosted(id: "e1", time: "2026-11-24T10:00:00Z", externalID: "job-1").body,
            TestEvents.fullJobPosted(id: "e2", time: "2026-11-24T11:00:00Z", externalID: "job-1", isActive: false).body,
        ])
        let jobs = bed.database.collection("jobs")
        try await bed.withWorker {
            try await waitUntil { try jobs.findOne(filter: ["external_id": "job-1"])?["is_active"] == .bool(false) }
        }
        #expect(try jobs.countDocuments(filter: ["external_id": "job-1"]) == 1)
        #expect(try jobs.findOne(filter: ["external_id": "job-1"])?["title"] == .string("Research Scientist"))
    }

    @Test func anInvalidEventBecomesADeadLetterAndTheValidOnesAroundItAreApplied() async throws {
        let bed = try TestBed()
        defer { bed.tearDown() }
        try bed.setUp()
        let invalid = Array(#"{"specversion":"1.0","id":"bad","source":"s","type":"JobPosted","time":"yesterday","data":{}}"#.utf8)
        let notJSON = Array("not json at all".utf8)
        try bed.publish([
            TestEvents.fullJobPosted(id: "e1", time: "2026-11-24T10:00:00Z", externalID: "job-1").body,
            invalid,
            notJSON,
            TestEvents.fullJobPosted(id: "e2", time: "2026-11-24T10:00:00Z", externalID: "job-2").body,
        ])
        let jobs = bed.database.collection("jobs")
        try await bed.withWorker {
            try await waitUntil { try jobs.countDocuments(filter: [:]) == 2 }
            try await waitUntil { try bed.deadLetters().count == 2 }
        }
        #expect(try bed.messageCount(bed.topology.queue(for: .jobPosted)) == 0)
        let store = DeadLetterStore(database: bed.database)
        let schemaInvalid = try store.find(idPrefix: DeadLetter.id(ofBody: invalid))
        #expect(schemaInvalid.reason == .schemaInvalid)
        #expect(schemaInvalid.eventID == "bad")
        #expect(schemaInvalid.body == invalid)
        let malformed = try store.find(idPrefix: DeadLetter.id(ofBody: notJSON))
        #expect(malformed.reason == .malformed)
        #expect(malformed.body == notJSON)
    }

    @Test func setupIsIdempotent() throws {
        let bed = try TestBed()
        defer { bed.tearDown() }
        try bed.setUp()
        try bed.setUp()
        let indexes = try bed.database.collection("job_matches").listIndexes()
        #expect(indexes.contains { $0.string("name") == "user_id_job_id_unique" && $0["unique"] == .bool(true) })
        let jobIndexes = try bed.database.collection("jobs").listIndexes()
        #expect(jobIndexes.contains { $0.string("name") == "external_id_unique" && $0["unique"] == .bool(true) })
    }
}
