import AMQPClient
import JobHuntTesting
@testable import JobHuntWorker
import Logging
import Testing

/// The writer's settlements over the fake database: what may be acked, what is retried, what
/// is given up.
@Suite struct BatchWriterTests {
    typealias F = PipelineFixtures
    let journal = Journal()

    private func writer(queue: String = "t.jobs", database: FakeDatabase, windowMilliseconds: Int64 = 300_000) -> BatchWriter {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        var configuration = WorkerConfiguration()
        configuration.queuePrefix = "t"
        return BatchWriter(
            queue: queue, retries: RetryScheduler(topology: Topology(configuration), windowMilliseconds: windowMilliseconds),
            processing: database.processing, deadLetters: database.recorder, logger: logger)
    }

    @Test func appliedRejectedAndMissingReferencesSettleAsAckAckAndRetry() {
        let database = FakeDatabase(journal: journal)
        let batch = [F.delivery(1), F.delivery(2, "reject"), F.delivery(3, "retry")]
        #expect(writer(database: database).write(batch, abandon: { false }) == [.ack, .ack, .retry(afterSeconds: 1)])
        #expect(journal.all == ["write 1,2,3", "record 2 schema_invalid from t.jobs as job.posted"])
    }

    @Test func aReferenceStillMissingAfterTheWindowIsRecordedAsMissingReference() {
        let database = FakeDatabase(journal: journal)
        var late = F.delivery(1, "retry")
        late.properties.headers = [RetryScheduler.firstAttemptHeader: .int64(0), RetryScheduler.routingKeyHeader: .string("match.computed")]
        #expect(writer(database: database, windowMilliseconds: 1000).write([late], abandon: { false }) == [.ack])
        #expect(journal.matching("record") == ["record 1 missing_reference from t.jobs as match.computed"])
    }

    @Test func onTheDeadQueueTheRecordNamesTheQueueThatGaveUp() {
        let database = FakeDatabase(journal: journal)
        var poison = F.delivery(1, "reject")
        poison.properties.headers = ["x-death": .array([.table(["queue": .string("t.matches"), "reason": .string("delivery_limit")])])]
        _ = writer(queue: "t.dead", database: database).write([poison], abandon: { false })
        #expect(journal.matching("record") == ["record 1 schema_invalid from t.matches as job.posted"])
    }

    @Test func aWriteThatFailsWhileTheDatabaseIsDownIsTriedAgainUntilItPasses() async throws {
        let database = FakeDatabase(journal: journal)
        database.setDown(true)
        let writer = writer(database: database)
        let writing = Task { await onOwnThread(named: "writer") { writer.write(F.deliveries(1...2), abandon: { false }) } }
        #expect(await eventually { journal.matching("write 1,2 failed").count >= 2 })
        database.setDown(false)
        #expect(await writing.value == [.ack, .ack])
        #expect(journal.all.last == "write 1,2")
    }

    @Test func anAbandonedOutageLeavesEveryDeliveryUnsettled() {
        let database = FakeDatabase(journal: journal)
        database.setDown(true)
        #expect(writer(database: database).write(F.deliveries(1...2), abandon: { true }) == [nil, nil])
        #expect(journal.all == ["write 1,2 failed"], "the first attempt is made, then given up")
    }

    @Test func duringAStopAfterAnOutageTheNextBatchIsGivenUpWithoutAnAttempt() {
        let database = FakeDatabase(journal: journal)
        database.setDown(true)
        let writer = writer(database: database)
        #expect(writer.write(F.deliveries(1...2), abandon: { true }) == [nil, nil])
        #expect(writer.write(F.deliveries(3...4), abandon: { true }) == [nil, nil])
        #expect(journal.all == ["write 1,2 failed"], "no attempt for the second batch")
    }

    @Test func aStopWithTheDatabaseBackStillWritesWhatTheWriterHolds() {
        let database = FakeDatabase(journal: journal)
        let writer = writer(database: database)
        database.setDown(true)
        #expect(writer.write(F.deliveries(1...2), abandon: { true }) == [nil, nil])
        database.setDown(false)
        #expect(writer.write(F.deliveries(3...4), abandon: { false }) == [.ack, .ack])
        #expect(writer.write(F.deliveries(5...6), abandon: { true }) == [.ack, .ack])
        #expect(journal.all == ["write 1,2 failed", "write 3,4", "write 5,6"])
    }

    @Test func aDeadLetterThatCannotBeRecordedWhenTheOutageIsAbandonedStaysUnsettled() {
        let database = FakeDatabase(journal: journal)
        database.failRecords(1)
        let batch = [F.delivery(1), F.delivery(2, "reject")]
        #expect(writer(database: database).write(batch, abandon: { true }) == [.ack, nil])
    }
}
