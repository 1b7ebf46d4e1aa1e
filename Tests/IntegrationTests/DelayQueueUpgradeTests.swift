import AMQPClient
import JobHuntEvents
import JobHuntTesting
import JobHuntWorker
import MongoClient
import Testing

/// Upgrading a deployment that has the classic delay queues of earlier versions: `setup` must
/// not fail on them, must not lose what waits in them, and must retire them.
@Suite(.enabled(if: serversAvailable), .timeLimit(.minutes(3)))
struct DelayQueueUpgradeTests {
    let user = ObjectIDHex(hex: "64b7f0c2a1b2c3d4e5f6dddd")!

    /// The delay topology as versions before the quorum delay queues declared it.
    private func declareLegacyDelayQueues(_ bed: TestBed, on channel: AMQPChannel) throws {
        try channel.declareExchange(name: bed.topology.retryExchange, type: "headers", durable: true)
        for seconds in Topology.retryDelays {
            let queue = bed.topology.legacyRetryQueue(delaySeconds: seconds)
            try channel.declareQueue(name: queue, durable: true, arguments: [
                "x-message-ttl": .int64(Int64(seconds) * 1000), "x-dead-letter-exchange": .string(""),
            ])
            try channel.bindQueue(queue: queue, exchange: bed.topology.retryExchange, routingKey: "", arguments: [
                "x-match": .string("all"), Topology.retryDelayHeader: .string("\(seconds)s"),
            ])
        }
    }

    private func exists(_ queue: String, _ bed: TestBed) throws -> Bool {
        do {
            _ = try bed.messageCount(queue)
            return true
        } catch let error as AMQPError where error.replyCode == 404 {
            return false
        }
    }

    @Test func setupRetiresClassicDelayQueuesAndWhatWaitsInThemIsApplied() async throws {
        let bed = try TestBed()
        defer {
            bed.tearDown()
            for seconds in Topology.retryDelays {
                _ = try? bed.openChannel().deleteQueue(name: bed.topology.legacyRetryQueue(delaySeconds: seconds))
            }
        }
        let channel = try bed.openChannel()
        try bed.topology.declareWorkQueues(on: channel)
        try declareLegacyDelayQueues(bed, on: channel)
        // A match waiting for a retry in the 60 s legacy queue; its own expiration lets it come
        // back after 20 s instead.
        let matches = bed.topology.queue(for: .matchComputed)
        let legacy60 = bed.topology.legacyRetryQueue(delaySeconds: 60)
        _ = try channel.publish(
            exchange: bed.topology.retryExchange, routingKey: matches,
            body: TestEvents.fullMatch(id: "m1", time: "2026-11-24T11:00:00Z", user: user, job: .externalID("job-1")).body,
            properties: AMQPMessageProperties(
                headers: [Topology.retryDelayHeader: .string("60s")], deliveryMode: .persistent, expiration: "20000"))
        try await waitUntil(timeout: .seconds(5)) { try bed.messageCount(legacy60) == 1 }

        try bed.setUp()
        try bed.setUp()  // and again: idempotent with a legacy queue still draining
        #expect(try !exists(bed.topology.legacyRetryQueue(delaySeconds: 1), bed), "an empty legacy queue was kept")
        // Still waiting in the legacy queue, or (on a machine slow enough for 20 s to pass)
        // already back in its work queue: never lost.
        let stillWaiting = try exists(legacy60, bed) ? bed.messageCount(legacy60) : 0
        #expect(try stillWaiting + bed.messageCount(matches) == 1, "the waiting message was lost")

        // New retries reach only the quorum delay queue.
        _ = try channel.publish(
            exchange: bed.topology.retryExchange, routingKey: matches, body: Array("copy".utf8),
            properties: AMQPMessageProperties(headers: [Topology.retryDelayHeader: .string("60s")], deliveryMode: .persistent))
        try await waitUntil(timeout: .seconds(5)) { try bed.messageCount(bed.topology.retryQueue(delaySeconds: 60)) == 1 }
        if stillWaiting > 0 { #expect(try bed.messageCount(legacy60) <= 1, "a new retry reached the legacy queue") }
        try channel.purgeQueue(name: bed.topology.retryQueue(delaySeconds: 60))

        try bed.insertUsers([user])
        try bed.publish([TestEvents.fullJobPosted(id: "j1", time: "2026-11-24T10:00:00Z", externalID: "job-1").body])
        try await bed.withWorker {
            try await waitUntil(timeout: .seconds(60)) { try bed.database.collection("job_matches").countDocuments() == 1 }
        }
        try await waitUntil(timeout: .seconds(5)) { try !exists(legacy60, bed) || bed.messageCount(legacy60) == 0 }
        try bed.setUp()
        #expect(try !exists(legacy60, bed), "the drained legacy queue was not deleted")
    }
}
