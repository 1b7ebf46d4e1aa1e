import AMQPClient
import JobHuntTesting
@testable import JobHuntWorker
import Testing

/// The reader and writer threads over fakes: what reaches the broker, in which order, for each
/// way a batch can end. Journal entries: "write 1,2,3" (committed), "record 2 ..." (dead letter
/// committed), "a copy 2 after 1s", "a confirm", "a ack 3+" (multiple), "a close".
@Suite(.timeLimit(.minutes(3))) struct QueueConsumerTests {
    typealias F = PipelineFixtures

    @Test func eachBatchIsAckedOnlyAfterItsWriteAndAStopCancelsThenCloses() async {
        let rig = ConsumerRig { [FakeDeliverySource("a", journal: $0, deliveries: F.deliveries(1...5))] }
        let running = rig.start()
        #expect(await eventually { rig.journal.all.contains("a ack 5+") })
        await rig.stopAndWait(running)
        #expect(rig.journal.all == ["a open", "write 1,2,3", "a ack 3+", "write 4,5", "a ack 5+", "a cancel", "a close"])
    }

    @Test func aDeadLetterIsAckedOnlyOnceItsRecordIsCommittedEvenAfterTheRecorderFailed() async {
        let rig = ConsumerRig { [FakeDeliverySource("a", journal: $0, deliveries: [F.delivery(1), F.delivery(2, "reject"), F.delivery(3)])] }
        rig.database.failRecords(1)
        let running = rig.start()
        #expect(await eventually { rig.journal.all.contains("a ack 3+") })
        await rig.stopAndWait(running)
        #expect(rig.journal.all == [
            "a open", "write 1,2,3", "record 2 failed", "record 2 schema_invalid from t.jobs as job.posted", "a ack 3+",
            "a cancel", "a close",
        ])
    }

    @Test func anUnconfirmedRetryCopyLeavesTheOriginalsUnackedUntilTheBrokerRedeliversThem() async {
        let rig = ConsumerRig { journal in [
            FakeDeliverySource("a", journal: journal, deliveries: [F.delivery(1), F.delivery(2, "retry")], confirmsFail: true),
            FakeDeliverySource("b", journal: journal, deliveries: [F.delivery(1), F.delivery(2, "retry")]),
        ] }
        let running = rig.start()
        #expect(await eventually { rig.journal.all.contains("b ack 2+") })
        await rig.stopAndWait(running)
        #expect(rig.journal.all == [
            "a open", "write 1,2", "a copy 2 after 1s", "a confirm failed", "a close",
            "b open", "write 1,2", "b copy 2 after 1s", "b confirm", "b ack 2+", "b cancel", "b close",
        ])
    }

    @Test func aStopDuringAnOutageGivesUpTheWriteAndAcksNothing() async {
        let rig = ConsumerRig { [FakeDeliverySource("a", journal: $0, deliveries: F.deliveries(1...3))] }
        rig.database.setDown(true)
        let running = rig.start()
        #expect(await eventually { rig.journal.all.contains("write 1,2,3 failed") })
        rig.stop.raise()
        let stopped = await eventually { running.isDone }
        #expect(stopped, "the consumer kept waiting for the database after the stop")
        rig.database.setDown(false)  // lets a consumer that did not give up finish
        _ = await eventually { running.isDone }
        #expect(rig.journal.matching("a ack").isEmpty)
        #expect(rig.journal.all.contains("a cancel"))
    }

    @Test func aBatchInTheWriterWhenTheConnectionIsLostIsNeverAckedOnTheNextConnection() async {
        let rig = ConsumerRig { journal in [
            FakeDeliverySource("a", journal: journal, deliveries: F.deliveries(1...3)),
            FakeDeliverySource("b", journal: journal, deliveries: F.deliveries(1...3)),
        ] }
        rig.database.holdWrites(true)
        let running = rig.start()
        #expect(await eventually { rig.database.writesStarted == 1 })
        rig.sources[0].loseConnection()
        // Connected again, the redelivered batch read, while the writer still holds the lost one.
        #expect(await eventually { rig.journal.all.contains("b open") && rig.sources[1].waiting == 0 })
        rig.database.holdWrites(false)
        #expect(await eventually { rig.journal.all.contains("b ack 3+") })
        await rig.stopAndWait(running)
        #expect(rig.journal.all == ["a open", "a close", "b open", "write 1,2,3", "write 1,2,3", "b ack 3+", "b cancel", "b close"])
    }

    @Test func aBatchWaitingOutAnOutageWhenTheConnectionIsLostIsGivenUpAndOnlyTheRedeliveryIsWritten() async {
        let rig = ConsumerRig { journal in [
            FakeDeliverySource("a", journal: journal, deliveries: F.deliveries(1...3)),
            FakeDeliverySource("b", journal: journal, deliveries: F.deliveries(1...3)),
        ] }
        rig.database.setDown(true)
        let running = rig.start()
        #expect(await eventually { rig.journal.all.contains("write 1,2,3 failed") })
        rig.sources[0].loseConnection()
        #expect(await eventually { rig.journal.all.contains("b open") })
        rig.database.setDown(false)
        #expect(await eventually { rig.journal.all.contains("b ack 3+") })
        await rig.stopAndWait(running)
        #expect(rig.journal.matching("write 1,2,3").filter { !$0.hasSuffix("failed") } == ["write 1,2,3"], "the lost batch was written too")
        #expect(rig.journal.matching("a ack").isEmpty)
    }

    @Test func deliveriesThatArriveAfterTheCancelAreWrittenAndAckedBeforeTheClose() async {
        let rig = ConsumerRig { [FakeDeliverySource("a", journal: $0, deliveries: F.deliveries(1...3), arrivingAfterCancel: [F.delivery(4)])] }
        let running = rig.start()
        #expect(await eventually { rig.journal.all.contains("a ack 3+") })
        await rig.stopAndWait(running)
        #expect(rig.journal.all == ["a open", "write 1,2,3", "a ack 3+", "a cancel", "write 4", "a ack 4+", "a close"])
    }

    @Test func aCrashAfterAWriteDropsTheConnectionWithoutAckingAndTheRedeliveryIsAcked() async {
        let once = Once()
        let rig = ConsumerRig(hooks: { journal in
            PipelineHooks(afterWrite: { queue, batch in
                guard once.first else { return }
                journal.append("crash after writing \(batch.count) of \(queue)")
                throw SimulatedCrash()
            })
        }, sources: { journal in [
            FakeDeliverySource("a", journal: journal, deliveries: F.deliveries(1...3)),
            FakeDeliverySource("b", journal: journal, deliveries: F.deliveries(1...3)),
        ] })
        let running = rig.start()
        #expect(await eventually { rig.journal.all.contains("b ack 3+") })
        await rig.stopAndWait(running)
        #expect(rig.journal.all == [
            "a open", "write 1,2,3", "crash after writing 3 of t.jobs", "a close",
            "b open", "write 1,2,3", "b ack 3+", "b cancel", "b close",
        ])
    }

    @Test func aCrashBetweenARetryConfirmAndTheAckLeavesTheOriginalUnackedAndItIsCopiedAgain() async {
        let once = Once()
        let rig = ConsumerRig(hooks: { journal in
            PipelineHooks(afterRetryConfirm: { _, copied in
                guard once.first else { return }
                journal.append("crash after confirming \(copied.map(\.deliveryTag))")
                throw SimulatedCrash()
            })
        }, sources: { journal in [
            FakeDeliverySource("a", journal: journal, deliveries: [F.delivery(1, "retry"), F.delivery(2)]),
            FakeDeliverySource("b", journal: journal, deliveries: [F.delivery(1, "retry"), F.delivery(2)]),
        ] })
        let running = rig.start()
        #expect(await eventually { rig.journal.all.contains("b ack 2+") })
        await rig.stopAndWait(running)
        #expect(rig.journal.all == [
            "a open", "write 1,2", "a copy 1 after 1s", "a confirm", "crash after confirming [1]", "a close",
            "b open", "write 1,2", "b copy 1 after 1s", "b confirm", "b ack 2+", "b cancel", "b close",
        ])
    }
}
