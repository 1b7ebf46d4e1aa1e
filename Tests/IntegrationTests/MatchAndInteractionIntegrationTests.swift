import JobHuntEvents
import JobHuntStore
import JobHuntTesting
import MongoClient
import Testing

@Suite(.enabled(if: serversAvailable), .timeLimit(.minutes(2)))
struct MatchAndInteractionIntegrationTests {
    let user = ObjectIDHex(hex: "64b7f0c2a1b2c3d4e5f60718")!
    let userOID = ObjectID(hex: "64b7f0c2a1b2c3d4e5f60718")!

    private func prepared(retryWindowSeconds: Int = 30) throws -> TestBed {
        let bed = try TestBed(retryWindowSeconds: retryWindowSeconds)
        try bed.setUp()
        try bed.insertUsers([user])
        return bed
    }

    @Test func aMatchLandsWithTheSeedFieldsAndBSONTypesAndUpdatesStats() async throws {
        let bed = try prepared()
        defer { bed.tearDown() }
        try bed.publish([TestEvents.fullJobPosted(id: "j1", time: "2026-11-24T10:00:00Z", externalID: "job-1").body])
        try bed.publish([TestEvents.fullMatch(id: "m1", time: "2026-11-24T11:00:00Z", user: user, job: .externalID("job-1")).body], routingKey: "match.computed")
        let matches = bed.database.collection("job_matches")
        try await bed.withWorker {
            try await waitUntil { try matches.countDocuments() == 1 }
        }
        let jobID = try #require(try bed.database.collection("jobs").findOne(filter: ["external_id": "job-1"])?.objectID("_id"))
        let match = try #require(try matches.findOne())
        #expect(match["user_id"] == .objectID(userOID))
        #expect(match["job_id"] == .objectID(jobID))
        #expect(match["relevancy_score"] == .double(0.87))
        #expect(match["matched_at"] == .date(millisecondsSinceEpoch: Timestamp(rfc3339: "2026-11-24T11:00:00Z")!.millisecondsSinceEpoch))
        #expect(match["match_reason"] == .string("Strong ML alignment"))
        #expect(match["is_active"] == .bool(true))
        #expect(match.document("match_details") == [
            "skills_matched": ["Python", "ML"], "skills_missing": ["Docker"], "overall_compatibility": .double(0.9),
        ])
        #expect(match.document("user_snapshot") == [
            "preferences_at_match": ["location": "Remote", "roles": ["ML"]],
            "credentials_at_match": ["years_experience": .int64(3)],
        ])
        let stats = try #require(try bed.database.collection("user_stats").findOne(filter: ["user_id": .objectID(userOID)]))
        #expect(stats["top_missing_skill"] == .string("Docker"))
        #expect(stats["jobs_viewed"]?.intValue == 0)
        #expect(stats["last_calculated"]?.dateValue != nil)
    }

    @Test func aMatchByJobIDFindsTheJob() async throws {
        let bed = try prepared()
        defer { bed.tearDown() }
        try bed.publish([TestEvents.fullJobPosted(id: "j1", time: "2026-11-24T10:00:00Z", externalID: "job-1").body])
        let jobs = bed.database.collection("jobs")
        try await bed.withWorker {
            try await waitUntil { try jobs.countDocuments() == 1 }
            let jobID = try #require(try jobs.findOne()?.objectID("_id"))
            try bed.publish([TestEvents.fullMatch(id: "m1", time: "2026-11-24T11:00:00Z", user: user, job: .id(ObjectIDHex(bytes: jobID.bytes)!)).body], routingKey: "match.computed")
            try await waitUntil { try bed.database.collection("job_matches").countDocuments(filter: ["job_id": .objectID(jobID)]) == 1 }
        }
    }

    @Test func interactionsLandAndStatsCountThem() async throws {
        let bed = try prepared()
        defer { bed.tearDown() }
        try bed.publish([
            TestEvents.fullJobPosted(id: "j1", time: "2026-11-24T10:00:00Z", externalID: "job-1").body,
            TestEvents.fullJobPosted(id: "j2", time: "2026-11-24T10:00:00Z", externalID: "job-2").body,
        ])
        try bed.publish([
            TestEvents.interaction(id: "i1", time: "2026-11-24T12:00:00Z", user: user, job: "job-1", type: .viewed).body,
            TestEvents.interaction(id: "i2", time: "2026-11-24T12:00:00Z", user: user, job: "job-2", type: .viewed).body,
            TestEvents.interaction(id: "i3", time: "2026-11-24T12:00:00Z", user: user, job: "job-1", type: .saved).body,
            TestEvents.interaction(id: "i4", time: "2026-11-24T12:00:00Z", user: user, job: "job-1", type: .applied).body,
        ], routingKey: "interaction.recorded")
        let interactions = bed.database.collection("user_job_interactions")
        try await bed.withWorker {
            try await waitUntil { try interactions.countDocuments() == 4 }
        }
        let viewed = try #require(try interactions.findOne(filter: ["event_id": "i1"]))
        #expect(viewed["user_id"] == .objectID(userOID))
        #expect(viewed["job_id"]?.objectIDValue != nil)
        #expect(viewed["interaction_type"] == .string("viewed"))
        #expect(viewed["timestamp"] == .date(millisecondsSinceEpoch: Timestamp(rfc3339: "2026-11-24T12:00:00Z")!.millisecondsSinceEpoch))
        let stats = try #require(try bed.database.collection("user_stats").findOne(filter: ["user_id": .objectID(userOID)]))
        #expect(stats["jobs_viewed"]?.intValue == 2)
        #expect(stats["jobs_saved"]?.intValue == 1)
        #expect(stats["top_missing_skill"] == .null)
    }

    @Test func everyEventThreeTimesHasOneEffectAndIsCountedOnce() async throws {
        let bed = try prepared()
        defer { bed.tearDown() }
        let job = TestEvents.fullJobPosted(id: "j1", time: "2026-11-24T10:00:00Z", externalID: "job-1").body
        let match = TestEvents.fullMatch(id: "m1", time: "2026-11-24T11:00:00Z", user: user, job: .externalID("job-1")).body
        let viewed = TestEvents.interaction(id: "i1", time: "2026-11-24T12:00:00Z", user: user, job: "job-1", type: .viewed).body
        try bed.publish([job, job, job])
        try bed.publish([match, match, match], routingKey: "match.computed")
        try bed.publish([viewed, viewed, viewed], routingKey: "interaction.recorded")
        try await bed.withWorker {
            try await waitUntil { try bed.messagesInFlight() == 0 && bed.database.collection("user_job_interactions").countDocuments() == 1 }
            try await waitUntil { try bed.database.collection("job_matches").countDocuments() == 1 }
        }
        #expect(try bed.database.collection("jobs").countDocuments() == 1)
        #expect(try bed.database.collection("job_matches").countDocuments() == 1)
        #expect(try bed.database.collection("user_job_interactions").countDocuments() == 1)
        let stats = try #require(try bed.database.collection("user_stats").findOne(filter: ["user_id": .objectID(userOID)]))
        #expect(stats["jobs_viewed"]?.intValue == 1)
        #expect(try bed.deadLetters().isEmpty)
    }

    @Test func anOlderMatchAfterANewerOneChangesNothing() async throws {
        let bed = try prepared()
        defer { bed.tearDown() }
        try bed.publish([TestEvents.fullJobPosted(id: "j1", time: "2026-11-24T10:00:00Z", externalID: "job-1").body])
        try bed.publish([
            TestEvents.fullMatch(id: "m2", time: "2026-11-24T12:00:00Z", user: user, job: .externalID("job-1"), score: 0.9, skillsMissing: ["Rust"]).body,
            TestEvents.fullMatch(id: "m1", time: "2026-11-24T11:00:00Z", user: user, job: .externalID("job-1"), score: 0.1, skillsMissing: ["Go"]).body,
        ], routingKey: "match.computed")
        try await bed.withWorker {
            try await waitUntil { try bed.messagesInFlight() == 0 && bed.database.collection("job_matches").countDocuments() == 1 }
        }
        let match = try #require(try bed.database.collection("job_matches").findOne())
        #expect(match["relevancy_score"] == .double(0.9))
        #expect(match["last_event_id"] == .string("m2"))
        let stats = try #require(try bed.database.collection("user_stats").findOne(filter: ["user_id": .objectID(userOID)]))
        #expect(stats["top_missing_skill"] == .string("Rust"))
    }

    @Test func aMatchAndAnInteractionBeforeTheirJobAreAppliedOnceTheJobArrives() async throws {
        let bed = try prepared(retryWindowSeconds: 60)
        defer { bed.tearDown() }
        try bed.publish([TestEvents.fullMatch(id: "m1", time: "2026-11-24T11:00:00Z", user: user, job: .externalID("job-late")).body], routingKey: "match.computed")
        try bed.publish([TestEvents.interaction(id: "i1", time: "2026-11-24T12:00:00Z", user: user, job: "job-late", type: .saved).body], routingKey: "interaction.recorded")
        try await bed.withWorker {
            // Both wait in the delay queues while the job is missing.
            try await Task.sleep(for: .seconds(2))
            #expect(try bed.database.collection("job_matches").countDocuments() == 0)
            try bed.publish([TestEvents.fullJobPosted(id: "j1", time: "2026-11-24T10:00:00Z", externalID: "job-late").body])
            try await waitUntil(timeout: .seconds(40)) {
                try bed.database.collection("job_matches").countDocuments() == 1
                    && bed.database.collection("user_job_interactions").countDocuments() == 1
            }
        }
        let stats = try #require(try bed.database.collection("user_stats").findOne(filter: ["user_id": .objectID(userOID)]))
        #expect(stats["jobs_saved"]?.intValue == 1)
        #expect(stats["top_missing_skill"] == .string("Docker"))
        #expect(try bed.deadLetters().isEmpty)
    }

    @Test func aReferenceStillMissingAfterTheWindowBecomesAMissingReferenceDeadLetter() async throws {
        let bed = try prepared(retryWindowSeconds: 3)
        defer { bed.tearDown() }
        try bed.publish([TestEvents.fullMatch(id: "m1", time: "2026-11-24T11:00:00Z", user: user, job: .externalID("job-never")).body], routingKey: "match.computed")
        try await bed.withWorker {
            try await waitUntil(timeout: .seconds(90)) { try bed.deadLetters().count == 1 }
        }
        let record = try #require(try bed.deadLetters().first)
        #expect(record.reason == .missingReference)
        #expect(record.eventID == "m1")
        #expect(record.detail.contains("job-never"))
        #expect(try bed.messagesInFlight() == 0)
        #expect(try bed.database.collection("job_matches").countDocuments() == 0)
    }

    @Test func aDifferentEventForTheSameInteractionIsADeadLetter() async throws {
        let bed = try prepared()
        defer { bed.tearDown() }
        try bed.publish([TestEvents.fullJobPosted(id: "j1", time: "2026-11-24T10:00:00Z", externalID: "job-1").body])
        let interactions = bed.database.collection("user_job_interactions")
        try await bed.withWorker {
            try await waitUntil { try bed.database.collection("jobs").countDocuments() == 1 }
            try bed.publish([TestEvents.interaction(id: "i1", time: "2026-11-24T12:00:00Z", user: user, job: "job-1", type: .saved).body], routingKey: "interaction.recorded")
            try await waitUntil { try interactions.countDocuments() == 1 }
            try bed.publish([TestEvents.interaction(id: "i2", time: "2026-11-24T12:00:00Z", user: user, job: "job-1", type: .saved).body], routingKey: "interaction.recorded")
            try await waitUntil { try bed.deadLetters().count == 1 }
        }
        #expect(try bed.deadLetters().first?.reason == .duplicateInteraction)
        #expect(try interactions.findOne()?["event_id"] == .string("i1"))
        let stats = try #require(try bed.database.collection("user_stats").findOne(filter: ["user_id": .objectID(userOID)]))
        #expect(stats["jobs_saved"]?.intValue == 1)
    }
}
