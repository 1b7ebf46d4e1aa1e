import JobHuntEvents
import JobHuntHandlers
import Testing

@Suite struct MatchAndInteractionHandlingTests {
    let storage = InMemoryJobHuntStorage()
    let userA = ObjectIDHex(hex: EventFixtures.userA)!
    var processor: MessageProcessor { MessageProcessor(handler: EventHandler(storage: storage)) }

    init() throws {
        storage.addUser(userA)
        _ = try processor.process(EventFixtures.jobPosted(id: "j1", time: "2026-01-01T00:00:00Z", externalID: "job-1"))
        _ = try processor.process(EventFixtures.jobPosted(id: "j2", time: "2026-01-01T00:00:00Z", externalID: "job-2"))
    }

    private var job1: ObjectIDHex { storage.job(externalID: "job-1")!.id }

    @Test func aMatchIsStoredByUserAndJob() throws {
        let result = try processor.process(EventFixtures.matchComputed(id: "m1", time: "2026-01-02T00:00:00Z", score: 0.9))
        #expect(result.outcome == .applied)
        #expect(storage.match(user: userA, job: job1)?.match.relevancyScore == 0.9)
    }

    @Test func anOlderMatchAfterANewerOneChangesNothing() throws {
        _ = try processor.process(EventFixtures.matchComputed(id: "m2", time: "2026-01-03T00:00:00Z", score: 0.9))
        let result = try processor.process(EventFixtures.matchComputed(id: "m1", time: "2026-01-02T00:00:00Z", score: 0.1))
        #expect(result.outcome == .unchanged(.staleVersion))
        #expect(storage.match(user: userA, job: job1)?.match.relevancyScore == 0.9)
    }

    @Test func aMatchForAnUnknownUserOrJobIsRetriedLater() throws {
        let unknownUser = try processor.process(EventFixtures.matchComputed(id: "m1", time: "2026-01-02T00:00:00Z", user: EventFixtures.userB))
        let unknownJob = try processor.process(EventFixtures.matchComputed(id: "m2", time: "2026-01-02T00:00:00Z", jobExternalID: "job-404"))
        guard case .retryLater(let userDetail) = unknownUser.outcome, case .retryLater(let jobDetail) = unknownJob.outcome else {
            Issue.record("expected retryLater, got \(unknownUser.outcome) and \(unknownJob.outcome)")
            return
        }
        #expect(userDetail.contains(EventFixtures.userB))
        #expect(jobDetail.contains("job-404"))
        #expect(!unknownUser.outcome.isSettled)
    }

    @Test func theSameInteractionEventAgainIsANoOp() throws {
        let body = EventFixtures.interaction(id: "i1", type: "viewed")
        #expect(try processor.process(body).outcome == .applied)
        #expect(try processor.process(body).outcome == .unchanged(.duplicateEvent))
        #expect(storage.interactionCount == 1)
        #expect(storage.stats(for: userA).jobsViewed == 1)
    }

    @Test func anotherEventWithTheSameInteractionKeyIsADuplicateInteraction() throws {
        _ = try processor.process(EventFixtures.interaction(id: "i1", type: "saved"))
        let result = try processor.process(EventFixtures.interaction(id: "i2", type: "saved"))
        guard case .rejected(.duplicateInteraction, let detail) = result.outcome else {
            Issue.record("expected duplicate_interaction, got \(result.outcome)")
            return
        }
        #expect(detail.contains("i1"))
        #expect(storage.stats(for: userA).jobsSaved == 1)
    }

    @Test func statsCountViewedAndSavedAndTheTopMissingSkillOfActiveMatches() throws {
        _ = try processor.process(EventFixtures.interaction(id: "i1", jobExternalID: "job-1", type: "viewed"))
        _ = try processor.process(EventFixtures.interaction(id: "i2", jobExternalID: "job-2", type: "viewed"))
        _ = try processor.process(EventFixtures.interaction(id: "i3", jobExternalID: "job-1", type: "saved"))
        _ = try processor.process(EventFixtures.interaction(id: "i4", jobExternalID: "job-1", type: "applied"))
        _ = try processor.process(EventFixtures.matchComputed(id: "m1", time: "2026-01-02T00:00:00Z", jobExternalID: "job-1", skillsMissing: ["Go", "Rust", "Go"]))
        _ = try processor.process(EventFixtures.matchComputed(id: "m2", time: "2026-01-02T00:00:00Z", jobExternalID: "job-2", skillsMissing: ["Rust", "Docker"], isActive: false))
        let stats = storage.stats(for: userA)
        #expect(stats == UserStats(jobsViewed: 2, jobsSaved: 1, topMissingSkill: "Go"))
    }
}

@Suite struct TopMissingSkillTests {
    @Test func eachMatchCountsASkillOnce() {
        #expect(UserStats.topMissingSkill([["B", "B", "B"], ["A"], ["A"]]) == "A")
    }

    @Test func tiesGoToTheSmallestInByteOrder() {
        #expect(UserStats.topMissingSkill([["b", "B"], ["a"]]) == "B")
        #expect(UserStats.topMissingSkill([["\u{FB01}"], ["z"]]) == "z")
    }

    @Test func noSkillsIsNil() {
        #expect(UserStats.topMissingSkill([[String]]()) == nil)
        #expect(UserStats.topMissingSkill([[], []]) == nil)
    }
}

@Suite struct AllStatsTests {
    @Test func oneProcessAgreesWithPerUserStats() throws {
        let storage = InMemoryJobHuntStorage()
        let users = [EventFixtures.userA, EventFixtures.userB].map { ObjectIDHex(hex: $0)! }
        users.forEach(storage.addUser)
        let processor = MessageProcessor(handler: EventHandler(storage: storage))
        _ = try processor.process(EventFixtures.jobPosted(id: "j1", time: "2026-01-01T00:00:00Z", externalID: "job-1"))
        _ = try processor.process(EventFixtures.interaction(id: "i1", user: EventFixtures.userA, type: "viewed"))
        _ = try processor.process(EventFixtures.interaction(id: "i2", user: EventFixtures.userB, type: "saved"))
        _ = try processor.process(EventFixtures.matchComputed(id: "m1", time: "2026-01-02T00:00:00Z", user: EventFixtures.userB, skillsMissing: ["Go"]))
        let all = storage.allStats()
        for user in users { #expect(all[user] == storage.stats(for: user)) }
        #expect(all[users[1]] == UserStats(jobsViewed: 0, jobsSaved: 1, topMissingSkill: "Go"))
    }
}
