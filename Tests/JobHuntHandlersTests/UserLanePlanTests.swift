import JobHuntEvents
import JobHuntHandlers
import JobHuntTesting
import Testing

/// The user lane's plan on its own: no storage, a snapshot given by hand.
@Suite struct UserLanePlanTests {
    let user = TestEvents.userA
    let job = ObjectIDHex(hex: "00000000000000000000000a")!
    var key: MatchKey { MatchKey(user: user, job: job) }

    /// A snapshot where the user and job-1 exist, with `match` stored and `counts` kept.
    func snapshot(match: StoredMatch? = nil, counts: StatsCounts = StatsCounts(), kept: Bool = true) -> UserLaneSnapshot {
        UserLaneSnapshot(
            users: [user], jobIDs: [.externalID("job-1"): job], matches: match.map { [key: $0] } ?? [:],
            stats: [user: StoredStats(counts: counts, isKept: kept)])
    }

    func stored(_ id: String, _ time: String, skills: Set<String>) -> StoredMatch {
        StoredMatch(version: EventVersion(time: TestEvents.time(time), eventID: id), countedSkills: skills)
    }

    @Test func aNewActiveMatchCountsEachOfItsSkillsOnce() {
        let plan = UserLanePlan([TestEvents.match(id: "m1", skillsMissing: ["Go", "Go", "a.b", "$x"])], over: snapshot())
        #expect(plan.outcomes == [.applied])
        #expect(plan.matches.map(\.replacing) == [nil], "an insert")
        #expect(plan.stats[user]?.missingSkills == ["Go": 1, "a.b": 1, "$x": 1])
    }

    @Test func deactivationRemovesTheSkillsAndReactivationBringsThemBack() {
        let counts = StatsCounts(missingSkills: ["Go": 2, "SQL": 1])
        let off = UserLanePlan(
            [TestEvents.match(id: "m2", time: "2026-01-03T00:00:00Z", skillsMissing: ["Go", "SQL"], isActive: false)],
            over: snapshot(match: stored("m1", "2026-01-02T00:00:00Z", skills: ["Go", "SQL"]), counts: counts))
        #expect(off.stats[user]?.missingSkills == ["Go": 1])
        let on = UserLanePlan(
            [TestEvents.match(id: "m3", time: "2026-01-04T00:00:00Z", skillsMissing: ["Go", "SQL"])],
            over: snapshot(match: stored("m2", "2026-01-03T00:00:00Z", skills: []), counts: off.stats[user]!))
        #expect(on.stats[user]?.missingSkills == ["Go": 2, "SQL": 1])
    }

    @Test func aNewerVersionWithOtherSkillsMovesTheCounts() {
        let plan = UserLanePlan(
            [TestEvents.match(id: "m2", time: "2026-01-03T00:00:00Z", skillsMissing: ["Rust", "Go"])],
            over: snapshot(match: stored("m1", "2026-01-02T00:00:00Z", skills: ["Go", "SQL"]), counts: StatsCounts(missingSkills: ["Go": 1, "SQL": 1])))
        #expect(plan.matches.first?.replacing == stored("m1", "2026-01-02T00:00:00Z", skills: ["Go", "SQL"]))
        #expect(plan.stats[user]?.missingSkills == ["Go": 1, "Rust": 1])
        #expect(plan.stats[user]?.topMissingSkill == "Go", "a tie goes to the smallest skill")
    }

    @Test func aStaleOrRepeatedEventWritesNothingAndChangesNoStats() {
        let current = stored("m2", "2026-01-03T00:00:00Z", skills: ["Go"])
        let plan = UserLanePlan(
            [
                TestEvents.match(id: "m1", time: "2026-01-02T00:00:00Z", skillsMissing: ["SQL"]),
                TestEvents.match(id: "m2", time: "2026-01-03T00:00:00Z", skillsMissing: ["Go"]),
            ],
            over: snapshot(match: current, counts: StatsCounts(missingSkills: ["Go": 1])))
        #expect(plan.outcomes == [.unchanged(.staleVersion), .unchanged(.duplicateEvent)])
        #expect(plan.matches.isEmpty)
        #expect(plan.stats.isEmpty, "no write, no delta")
    }

    @Test func eventsOfOneKeyInOneBatchMakeOneWriteOfTheLastVersion() {
        let plan = UserLanePlan(
            [
                TestEvents.match(id: "m2", time: "2026-01-03T00:00:00Z", skillsMissing: ["A"]),
                TestEvents.match(id: "m1", time: "2026-01-02T00:00:00Z", skillsMissing: ["B"]),
                TestEvents.match(id: "m3", time: "2026-01-04T00:00:00Z", skillsMissing: ["C"]),
            ],
            over: snapshot(match: stored("m0", "2026-01-01T00:00:00Z", skills: ["Z"]), counts: StatsCounts(missingSkills: ["Z": 1])))
        #expect(plan.outcomes == [.applied, .unchanged(.staleVersion), .applied])
        #expect(plan.matches.map(\.version.eventID) == ["m3"])
        #expect(plan.matches.first?.replacing?.version?.eventID == "m0", "replaces what was read")
        #expect(plan.stats[user]?.missingSkills == ["C": 1])
    }

    @Test func interactionsCountOnlyWhenInsertedAndNeverBelowZero() {
        let otherJob = ObjectIDHex(hex: "00000000000000000000000b")!
        var snapshot = snapshot(counts: StatsCounts(jobsViewed: 0, jobsSaved: 0))
        snapshot.jobIDs[.externalID("job-2")] = otherJob
        snapshot.interactions[InteractionKey(user: user, job: job, type: .saved)] = .some("i0")
        let plan = UserLanePlan(
            [
                TestEvents.interaction(id: "i1", type: .viewed), TestEvents.interaction(id: "i1", type: .viewed),
                TestEvents.interaction(id: "i2", job: "job-2", type: .viewed), TestEvents.interaction(id: "i3", type: .saved),
                TestEvents.interaction(id: "i0", type: .saved), TestEvents.interaction(id: "i4", type: .applied),
            ],
            over: snapshot)
        #expect(plan.outcomes[0] == .applied && plan.outcomes[1] == .unchanged(.duplicateEvent) && plan.outcomes[2] == .applied)
        guard case .rejected(.duplicateInteraction, let detail) = plan.outcomes[3] else {
            Issue.record("expected duplicate_interaction, got \(plan.outcomes[3])")
            return
        }
        #expect(detail.contains("i0"))
        #expect(plan.outcomes[4] == .unchanged(.duplicateEvent) && plan.outcomes[5] == .applied)
        #expect(plan.interactions.map(\.version.eventID) == ["i1", "i2", "i4"])
        #expect(plan.stats[user] == StatsCounts(jobsViewed: 2, jobsSaved: 0))
    }

    @Test func countsTheWorkerDoesNotKeepAreWrittenEvenWhenNothingChanges() {
        let computed = StatsCounts(jobsViewed: 3, jobsSaved: 1, missingSkills: ["Go": 2])
        let plan = UserLanePlan([TestEvents.match(id: "m1", skillsMissing: [], isActive: false)], over: snapshot(counts: computed, kept: false))
        #expect(plan.stats[user] == computed)
        let kept = UserLanePlan([TestEvents.match(id: "m1", skillsMissing: [], isActive: false)], over: snapshot(counts: computed, kept: true))
        #expect(kept.stats.isEmpty)
    }

    @Test func aMissingUserOrJobWaitsAndWritesNothing() {
        let plan = UserLanePlan(
            [TestEvents.match(id: "m1", user: TestEvents.userB), TestEvents.interaction(id: "i1", job: "job-404", type: .viewed)],
            over: snapshot())
        #expect(plan.outcomes.allSatisfy { !$0.isSettled })
        #expect(plan.matches.isEmpty && plan.interactions.isEmpty && plan.stats.isEmpty)
    }

    @Test func theRequestNamesExactlyTheBatchsKeys() {
        let request = UserLanePlan.request(for: [
            TestEvents.match(id: "m1", job: "job-1"), TestEvents.interaction(id: "i1", user: TestEvents.userB, job: "job-2", type: .saved),
            TestEvents.jobPosted(id: "j1", externalID: "job-9"),
        ])
        #expect(request.users == [user, TestEvents.userB])
        #expect(request.jobs == [.externalID("job-1"), .externalID("job-2")])
        #expect(request.matches == [UserJobReference(user: user, job: .externalID("job-1"))])
        #expect(request.interactions == [UserJobReference(user: TestEvents.userB, job: .externalID("job-2")): [.saved]])
    }
}

@Suite struct JobPlanTests {
    func job(_ id: String, _ time: String, _ externalID: String = "job-1") -> (job: JobPosting, version: EventVersion) {
        (JobPosting(externalID: externalID, title: id, company: "c"), EventVersion(time: TestEvents.time(time), eventID: id))
    }

    @Test func onlyNewerVersionsWriteAndEachPostingOnce() {
        let versions: [String: EventVersion?] = [
            "job-1": EventVersion(time: TestEvents.time("2026-01-02T00:00:00Z"), eventID: "e2"), "job-2": nil,
        ]
        #expect(versions.count == 2, "job-2 is stored without a version")
        let snapshot = JobSnapshot(versions: versions)
        let plan = JobPlan([
            job("e1", "2026-01-01T00:00:00Z"), job("e2", "2026-01-02T00:00:00Z"), job("e3", "2026-01-03T00:00:00Z"),
            job("e4", "2026-01-04T00:00:00Z"), job("x1", "2025-01-01T00:00:00Z", "job-2"), job("n1", "2026-01-01T00:00:00Z", "job-3"),
        ], over: snapshot)
        let expected: [HandlingOutcome] = [.unchanged(.staleVersion), .unchanged(.duplicateEvent), .applied, .applied, .applied, .applied]
        #expect(plan.outcomes == expected)
        #expect(plan.writes.map(\.version.eventID) == ["e4", "x1", "n1"])
        #expect(plan.writes.map(\.isReplacement) == [true, true, false])
        #expect(plan.eventsOfWrite == [[2, 3], [4], [5]])
    }
}
