import JobHuntEvents
import JobHuntHandlers
import JobHuntTesting
import Testing

@Suite struct JobPostedHandlingTests {
    let storage = InMemoryJobHuntStorage()
    var processor: MessageProcessor { MessageProcessor(handler: EventHandler(storage: storage)) }

    @Test func aNewPostingIsApplied() throws {
        let result = try processor.process(TestEvents.jobPosted(id: "e1", time: "2026-01-01T00:00:00Z").body)
        #expect(result.outcome == .applied)
        #expect(result.eventID == "e1")
        #expect(result.eventType == "JobPosted")
        #expect(storage.job(externalID: "job-1")?.job.title == "Engineer")
    }

    @Test func theSameEventAgainChangesNothing() throws {
        let body = TestEvents.jobPosted(id: "e1", time: "2026-01-01T00:00:00Z").body
        _ = try processor.process(body)
        #expect(try processor.process(body).outcome == .unchanged(.duplicateEvent))
        #expect(try processor.process(body).outcome == .unchanged(.duplicateEvent))
        #expect(storage.jobCount == 1)
    }

    @Test func aNewerEventReplacesTheWholePosting() throws {
        _ = try processor.process(TestEvents.jobPosted(id: "e1", time: "2026-01-01T00:00:00Z", title: "Old").body)
        let result = try processor.process(TestEvents.jobPosted(id: "e2", time: "2026-01-02T00:00:00Z", title: "New").body)
        #expect(result.outcome == .applied)
        #expect(storage.job(externalID: "job-1")?.job.title == "New")
        #expect(storage.job(externalID: "job-1")?.version.eventID == "e2")
    }

    @Test func anOlderEventAfterANewerOneChangesNothing() throws {
        _ = try processor.process(TestEvents.jobPosted(id: "e2", time: "2026-01-02T00:00:00Z", title: "New").body)
        let result = try processor.process(TestEvents.jobPosted(id: "e1", time: "2026-01-01T00:00:00Z", title: "Old").body)
        #expect(result.outcome == .unchanged(.staleVersion))
        #expect(storage.job(externalID: "job-1")?.job.title == "New")
    }

    @Test func onEqualTimeTheGreaterIDWinsInEitherOrder() throws {
        let time = "2026-01-01T00:00:00Z"
        _ = try processor.process(TestEvents.jobPosted(id: "b", time: time, title: "B").body)
        #expect(try processor.process(TestEvents.jobPosted(id: "a", time: time, title: "A").body).outcome == .unchanged(.staleVersion))
        #expect(storage.job(externalID: "job-1")?.job.title == "B")

        let other = InMemoryJobHuntStorage()
        let otherProcessor = MessageProcessor(handler: EventHandler(storage: other))
        _ = try otherProcessor.process(TestEvents.jobPosted(id: "a", time: time, title: "A").body)
        #expect(try otherProcessor.process(TestEvents.jobPosted(id: "b", time: time, title: "B").body).outcome == .applied)
        #expect(other.job(externalID: "job-1")?.job.title == "B")
    }

    @Test func aWithdrawalIsASoftDelete() throws {
        _ = try processor.process(TestEvents.jobPosted(id: "e1", time: "2026-01-01T00:00:00Z").body)
        let result = try processor.process(TestEvents.jobPosted(id: "e2", time: "2026-01-02T00:00:00Z", isActive: false).body)
        #expect(result.outcome == .applied)
        #expect(storage.job(externalID: "job-1")?.job.isActive == false)
        #expect(storage.jobCount == 1)
    }
}
