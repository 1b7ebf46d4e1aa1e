import JobHuntEvents
import JobHuntWorker
import Testing

@Suite struct TopologyTests {
    @Test func everyNameFollowsThePrefix() {
        var configuration = WorkerConfiguration()
        configuration.queuePrefix = "staging"
        let topology = Topology(configuration)
        #expect(topology.queue(for: .jobPosted) == "staging.jobs")
        #expect(topology.queue(for: .matchComputed) == "staging.matches")
        #expect(topology.queue(for: .interactionRecorded) == "staging.interactions")
        #expect(topology.deadQueue == "staging.dead")
        #expect(topology.deadLetterExchange == "staging.dlx")
        #expect(topology.exchange == "jobhunt.events")
    }

    @Test func routingKeysAreTheContracts() {
        #expect(EventType.jobPosted.routingKey == "job.posted")
        #expect(EventType.matchComputed.routingKey == "match.computed")
        #expect(EventType.interactionRecorded.routingKey == "interaction.recorded")
    }
}
