import AMQPClient
@testable import JobHuntWorker
import Testing

/// Stopping and losing the connection, in the state machine.
@Suite struct LifecycleTests {
    let t0 = ContinuousClock.now
    typealias F = PipelineFixtures

    @Test func aStopCancelsConsumingAndLetsTheWriterGiveUpAnOutageOnce() {
        var machine = F.connectedMachine()
        #expect(machine.stopRequested(now: t0) == [.abandonOutages, .cancelConsuming])
        #expect(machine.stopRequested(now: t0) == [])
    }

    @Test func aStopFlushesWhatIsPendingWithoutWaitingForTheBatchToFill() {
        var machine = F.connectedMachine()
        machine.delivered(F.delivery(1), now: t0)
        #expect(machine.nextBatch(now: t0) == nil)
        _ = machine.stopRequested(now: t0)
        #expect(machine.nextBatch(now: t0)?.map(\.deliveryTag) == [1])
    }

    @Test func aStoppedConsumerFinishesOnlyWhenAllIsSettledAndNothingArrivedForTheQuietPeriod() {
        var machine = F.connectedMachine()
        machine.delivered(F.delivery(1), now: t0)
        _ = machine.stopRequested(now: t0)
        #expect(!machine.isFinished(now: t0 + .seconds(1)), "a delivery is pending")
        _ = machine.nextBatch(now: t0)
        #expect(!machine.isFinished(now: t0 + .seconds(1)), "the writer holds a batch")
        #expect(machine.batchWritten([.ack]) == [.ack(deliveryTag: 1, multiple: true)])
        // A delivery sent before the cancel took effect arrives late: it is settled too.
        machine.delivered(F.delivery(2), now: t0 + .milliseconds(50))
        #expect(machine.nextBatch(now: t0 + .milliseconds(50))?.map(\.deliveryTag) == [2])
        #expect(!machine.isFinished(now: t0 + .seconds(1)))
        #expect(machine.batchWritten([.ack]) == [.ack(deliveryTag: 2, multiple: true)])
        #expect(machine.waitTimeout(now: t0 + .milliseconds(60)) == .milliseconds(90))
        #expect(!machine.isFinished(now: t0 + .milliseconds(149)))
        #expect(machine.isFinished(now: t0 + .milliseconds(150)))
    }

    @Test func aRunningConsumerIsNeverFinished() {
        let machine = F.connectedMachine()
        #expect(!machine.isFinished(now: t0 + .seconds(3600)))
    }

    @Test func aLostConnectionDropsWhatIsPendingAndSubmitsNothingUntilConnectedAgain() {
        var machine = F.connectedMachine()
        F.deliveries(1...2).forEach { machine.delivered($0, now: t0) }
        #expect(machine.connectionLost() == [])
        #expect(machine.nextBatch(now: t0 + .seconds(1)) == nil)
        machine.connected()
        #expect(machine.nextBatch(now: t0 + .seconds(1)) == nil, "the dropped deliveries come back from the broker, not from memory")
        machine.delivered(F.delivery(1), now: t0 + .seconds(1))
        #expect(machine.nextBatch(now: t0 + .seconds(2))?.map(\.deliveryTag) == [1])
    }

    @Test func aBatchInTheWriterWhenTheConnectionIsLostIsNeverAcked() {
        var machine = F.connectedMachine()
        _ = machine.deliverAndSubmit(F.deliveries(1...3), now: t0)
        #expect(machine.connectionLost() == [.abandonBatchInWriter])
        machine.connected()
        machine.delivered(F.delivery(1), now: t0)
        #expect(machine.nextBatch(now: t0 + .seconds(1)) == nil, "the writer still holds the lost batch")
        #expect(machine.batchWritten([.ack, .retry(afterSeconds: 1), .ack]) == [], "its tags belong to the lost channel")
        #expect(machine.nextBatch(now: t0 + .seconds(1))?.map(\.deliveryTag) == [1])
        #expect(machine.batchWritten([.ack]) == [.ack(deliveryTag: 1, multiple: true)])
    }

    @Test func aStopWithoutAConnectionFinishesAtOnce() {
        var machine = F.connectedMachine()
        _ = machine.deliverAndSubmit(F.deliveries(1...3), now: t0)
        _ = machine.connectionLost()
        #expect(machine.stopRequested(now: t0) == [.abandonOutages])
        #expect(machine.isFinished(now: t0))
    }

    @Test func aConnectionLostWhileStoppingFinishesAtOnce() {
        var machine = F.connectedMachine()
        _ = machine.deliverAndSubmit(F.deliveries(1...3), now: t0)
        _ = machine.stopRequested(now: t0)
        #expect(!machine.isFinished(now: t0 + .seconds(1)))
        _ = machine.connectionLost()
        #expect(machine.isFinished(now: t0))
    }
}
