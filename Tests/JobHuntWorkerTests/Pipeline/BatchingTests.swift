import AMQPClient
@testable import JobHuntWorker
import Testing

/// When the state machine hands the writer a batch, and how long the reader may wait.
@Suite struct BatchingTests {
    let t0 = ContinuousClock.now
    typealias F = PipelineFixtures

    @Test func withNothingToDoTheReaderWaitsTheIdleWait() {
        let machine = F.connectedMachine()
        #expect(machine.waitTimeout(now: t0) == .milliseconds(200))
    }

    @Test func aFullBatchGoesAtOnceAndTheRestWaits() {
        var machine = F.connectedMachine()
        F.deliveries(1...3).forEach { machine.delivered($0, now: t0) }
        #expect(machine.nextBatch(now: t0)?.map(\.deliveryTag) == [1, 2, 3])
        // The writer holds that batch: the fourth waits, however long.
        machine.delivered(F.delivery(4), now: t0)
        #expect(machine.nextBatch(now: t0 + .seconds(10)) == nil)
    }

    @Test func aBatchNeverHoldsMoreThanTheBatchSize() {
        var machine = F.connectedMachine()
        F.deliveries(1...7).forEach { machine.delivered($0, now: t0) }
        #expect(machine.nextBatch(now: t0)?.map(\.deliveryTag) == [1, 2, 3])
        _ = machine.batchWritten([.ack, .ack, .ack])
        #expect(machine.nextBatch(now: t0)?.map(\.deliveryTag) == [4, 5, 6])
    }

    @Test func aPartialBatchGoesOnceItsFirstDeliveryHasWaitedTheBatchWait() {
        var machine = F.connectedMachine()
        machine.delivered(F.delivery(1), now: t0)
        machine.delivered(F.delivery(2), now: t0 + .milliseconds(3))
        #expect(machine.waitTimeout(now: t0 + .milliseconds(2)) == .milliseconds(3))
        #expect(machine.nextBatch(now: t0 + .milliseconds(4)) == nil)
        #expect(machine.nextBatch(now: t0 + .milliseconds(5))?.map(\.deliveryTag) == [1, 2])
    }

    @Test func aBatchOverdueStillLetsTheReaderWaitOneMillisecond() {
        var machine = F.connectedMachine()
        machine.delivered(F.delivery(1), now: t0)
        #expect(machine.waitTimeout(now: t0 + .seconds(1)) == .milliseconds(1))
    }

    @Test func whileTheWriterWorksTheReaderWaitsATenthOfItsTimeBetweenOneAndTwentyMilliseconds() {
        var machine = F.connectedMachine()
        _ = machine.deliverAndSubmit(F.deliveries(1...3), now: t0)
        let submitted = t0 + .milliseconds(5)
        #expect(machine.waitTimeout(now: submitted + .milliseconds(3)) == .milliseconds(1))
        #expect(machine.waitTimeout(now: submitted + .milliseconds(70)) == .milliseconds(7))
        #expect(machine.waitTimeout(now: submitted + .seconds(5)) == .milliseconds(20))
    }

    @Test func deliveriesLeftBehindStartTheirWaitWhenTheBatchBeforeThemGoes() {
        var machine = F.connectedMachine()
        F.deliveries(1...4).forEach { machine.delivered($0, now: t0) }
        let submitted = t0 + .milliseconds(50)
        _ = machine.nextBatch(now: submitted)
        _ = machine.batchWritten([.ack, .ack, .ack])
        #expect(machine.nextBatch(now: submitted + .milliseconds(4)) == nil)
        #expect(machine.nextBatch(now: submitted + .milliseconds(5))?.map(\.deliveryTag) == [4])
    }

    @Test func theNextBatchWaitsForTheWriterToGiveThePreviousBack() {
        var machine = F.connectedMachine()
        _ = machine.deliverAndSubmit(F.deliveries(1...3), now: t0)
        F.deliveries(4...6).forEach { machine.delivered($0, now: t0) }
        #expect(machine.nextBatch(now: t0 + .seconds(1)) == nil)
        _ = machine.batchWritten([.ack, .ack, .ack])
        #expect(machine.nextBatch(now: t0 + .seconds(1))?.map(\.deliveryTag) == [4, 5, 6])
    }
}
