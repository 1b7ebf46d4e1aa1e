import JobHuntEvents
import JobHuntHandlers
import JobHuntTesting
import Testing

@Suite struct MatchAndInteractionHandlingTests {
    let storage = InMemoryJobHuntStorage()
    let userA = TestEvents.userA
    var processor: MessageProcessor { MessageProcessor(handler: EventHandler(storage: storage)) }

    init() throws {
        storage.addUser(userA)
        _ = try processor.process(TestEvents.jobPosted(id: "j1", time: "2026-01-01T00:00:00Z", externalID: "job-1").body)
        _ = try processor.process(TestEvents.jobPosted(id: "j2", time: "2026-01-01T00:00:00Z", externalID: "job-2").body)
    }

    private var job1: ObjectIDHex { storage.job(externalID: "job-1")!.id }

    @Test func aMatchIsStoredByUserAndJob() throws {
        let result = try processor.process(TestEvents.match(id: "m1", time: "2026-01-02T00:00:00Z", score: 0.9).body)
        #expect(result.outcome == .applied)
        #expect(storage.match(user: userA, job: job1)?.match.relevancyScore == 0.9)
    }

    @Test func anOlderMatchAfterANewerOneChangesNothing() throws {
        _ = try processor.process(TestEvents.match(id: "m2", time: "2026-01-03T00:00:00Z", score: 0.9).body)
        let result = try processor.process(TestEvents.match(id: "m1", time: "2026-01-02T00:00:00Z", score: 0.1).body)
        #expect(result.outcome == .unchanged(.staleVersion))
        #expect(storage.match(user: userA, job: job1)?.match.relevancyScore == 0.9)
    }

    @Test func aMatchForAnUnknownUserOrJobIsRetriedLater() throws {
        let unknownUser = try processor.process(TestEvents.match(id: "m1", time: "2026-01-02T00:00:00Z", user: TestEvents.userB).body)
        let unknownJob = try processor.process(TestEvents.match(id: "m2", time: "2026-01-02T00:00:00Z", job: "job-404").body)
        guard case .retryLater(let userDetail) = unknownUser.outcome, case .retryLater(let jobDetail) = unknownJob.outcome else {
            Issue.record("expected retryLater, got \(unknownUser.outcome) and \(unknownJob.outcome)")
            return
        }
        #expect(userDetail.contains(TestEvents.userB.hex))
        #expect(jobDetail.contains("job-404"))
        #expect(!unknownUser.outcome.isSettled)
    }

    @Test func theSameInteractionEventAgainIsANoOp() throws {
        let body = TestEvents.interaction(id: "i1", type: .viewed).body
        #expect(try processor.process(body).outcome == .applied)
        #expect(try processor.process(body).outcome == .unchanged(.duplicateEvent))
        #expect(storage.interactionCount == 1)
        #expect(storage.stats(for: userA).jobsViewed == 1)
    }

    @Test func anotherEventWithTheSameInteractionKeyIsADuplicateInteraction() throws {
        _ = try processor.process(TestEvents.interaction(id: "i1", type: .saved).body)
        let result = try processor.process(TestEvents.interaction(id: "i2", type: .saved).body)
        guard case .rejected(.duplicateInteraction, let detail) = result.outcome else {
            Issue.record("expected duplicate_interaction, got \(result.outcome)")
            return
        }
        #expect(detail.contains("i1"))
        #expect(storage.stats(for: userA).jobsSaved == 1)
    }

    @Test func statsCountViewedAndSavedAndTheTopMissingSkillOfActiveMatches() throws {
        _ = try processor.process(TestEvents.interaction(id: "i1", job: "job-1", type: .viewed).body)
        _ = try processor.process(TestEvents.interaction(id: "i2", job: "job-2", type: .viewed).body)
        _ = try processor.process(TestEvents.interaction(id: "i3", job: "job-1", type: .saved).body)
        _ = try processor.process(TestEvents.interaction(id: "i4", job: "job-1", type: .applied).body)
        _ = try processor.process(TestEvents.match(id: "m1", time: "2026-01-02T00:00:00Z", job: "job-1", skillsMissing: ["Go", "Rust", "Go"]).body)
        _ = try processor.process(TestEvents.match(id: "m2", time: "2026-01-02T00:00:00Z", job: "job-2", skillsMissing: ["Rust", "Docker"], isActive: false).body)
        let stats = storage.stats(for: userA)
        #expect(stats == UserStats(jobsViewed: 2, jobsSaved: 1, topMissingSkill: "Go"))
    }
}

@Suite struct StatsCountsTests {
    @Test func eachMatchCountsASkillOnce() {
        #expect(StatsCounts(viewed: 0, saved: 0, activeMatchesSkillsMissing: [["B", "B", "B"], ["A"], ["A"]]).topMissingSkill == "A")
    }

    @Test func tiesGoToTheSmallestInByteOrder() {
        #expect(StatsCounts(viewed: 0, saved: 0, activeMatchesSkillsMissing: [["b", "B"], ["a"]]).topMissingSkill == "B")
        #expect(StatsCounts(viewed: 0, saved: 0, activeMatchesSkillsMissing: [["\u{FB01}"], ["z"]]).topMissingSkill == "z")
    }

    @Test func noSkillsIsNil() {
        #expect(StatsCounts().topMissingSkill == nil)
        #expect(StatsCounts(viewed: 0, saved: 0, activeMatchesSkillsMissing: [[String](), []]).topMissingSkill == nil)
    }

    @Test func countsNeverGoBelowZeroAndZerosAreDropped() {
        var change = StatsChange()
        change.jobsViewed = -3
        change.missingSkills = ["Go": -2, "Rust": -1]
        let counts = StatsCounts(jobsViewed: 1, jobsSaved: 0, missingSkills: ["Go": 1, "Rust": 1]).applying(change)
        #expect(counts == StatsCounts(jobsViewed: 0, jobsSaved: 0, missingSkills: [:]))
        #expect(counts.missingSkills.isEmpty)
    }
}
