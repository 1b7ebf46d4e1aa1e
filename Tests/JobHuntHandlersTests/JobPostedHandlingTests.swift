import JobHuntEvents
import JobHuntHandlers
import Testing

@Suite struct JobPostedHandlingTests {
    let storage = InMemoryJobHuntStorage()
    var processor: MessageProcessor { MessageProcessor(handler: EventHandler(storage: storage)) }

    @Test func aNewPostingIsApplied() throws {
        let result = try processor.process(EventFixtures.jobPosted(id: "e1", time: "2026-01-01T00:00:00Z"))
        #expect(result.outcome == .applied)
        #expect(result.eventID == "e1")
        #expect(result.eventType == "JobPosted")
        #expect(storage.job(externalID: "job-1")?.job.title == "Engineer")
    }

    @Test func theSameEventAgainChangesNothing() throws {
        let body = EventFixtures.jobPosted(id: "e1", time: "2026-01-01T00:00:00Z")
        _ = try processor.process(body)
        #expect(try processor.process(body).outcome == .unchanged(.duplicateEvent))
        #expect(try processor.process(body).outcome == .unchanged(.duplicateEvent))
        #expect(storage.jobCount == 1)
    }

    @Test func aNewerEventReplacesTheWholePosting() throws {
        _ = try processor.process(EventFixtures.jobPosted(id: "e1", time: "2026-01-01T00:00:00Z", title: "Old"))
        let result = try processor.process(EventFixtures.jobPosted(id: "e2", time: "2026-01-02T00:00:00Z", title: "New"))
        #expect(result.outcome == .applied)
        #expect(storage.job(externalID: "job-1")?.job.title == "New")
        #expect(storage.job(externalID: "job-1")?.version.eventID == "e2")
    }

    @Test func anOlderEventAfterANewerOneChangesNothing() throws {
        _ = try processor.process(EventFixtures.jobPosted(id: "e2", time: "2026-01-02T00:00:00Z", title: "New"))
        let result = try processor.process(EventFixtures.jobPosted(id: "e1", time: "2026-01-01T00:00:00Z", title: "Old"))
        #expect(result.outcome == .unchanged(.staleVersion))
        #expect(storage.job(externalID: "job-1")?.job.title == "New")
    }

    @Test func onEqualTimeTheGreaterIDWinsInEitherOrder() throws {
        let time = "2026-01-01T00:00:00Z"
        _ = try processor.process(EventFixtures.jobPosted(id: "b", time: time, title: "B"))
        #expect(try processor.process(EventFixtures.jobPosted(id: "a", time: time, title: "A")).outcome == .unchanged(.staleVersion))
        #expect(storage.job(externalID: "job-1")?.job.title == "B")

        let other = InMemoryJobHuntStorage()
        let otherProcessor = MessageProcessor(handler: EventHandler(storage: other))
        _ = try otherProcessor.process(EventFixtures.jobPosted(id: "a", time: time, title: "A"))
        #expect(try otherProcessor.process(EventFixtures.jobPosted(id: "b", time: time, title: "B")).outcome == .applied)
        #expect(other.job(externalID: "job-1")?.job.title == "B")
    }

    @Test func aWithdrawalIsASoftDelete() throws {
        _ = try processor.process(EventFixtures.jobPosted(id: "e1", time: "2026-01-01T00:00:00Z"))
        let result = try processor.process(EventFixtures.jobPosted(id: "e2", time: "2026-01-02T00:00:00Z", isActive: false))
        #expect(result.outcome == .applied)
        #expect(storage.job(externalID: "job-1")?.job.isActive == false)
        #expect(storage.jobCount == 1)
    }
}
