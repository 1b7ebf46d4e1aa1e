import AMQPClient
@testable import JobHuntWorker
import Testing

/// How the state machine settles a written batch: retry copies first, confirmed, then acks that
/// never cover an unsettled delivery.
@Suite struct SettlementTests {
    let t0 = ContinuousClock.now
    typealias F = PipelineFixtures

    /// A connected machine whose writer holds deliveries 1...3.
    private func machineWithBatch() -> ConsumerStateMachine {
        var machine = F.connectedMachine()
        _ = machine.deliverAndSubmit(F.deliveries(1...3), now: t0)
        return machine
    }

    @Test func aSettledBatchIsOneMultipleAckOfItsLastTagWithoutAnyConfirm() {
        var machine = machineWithBatch()
        #expect(machine.batchWritten([.ack, .ack, .ack]) == [.ack(deliveryTag: 3, multiple: true)])
    }

    @Test func retryCopiesArePublishedAndConfirmedBeforeAnyAck() {
        var machine = F.connectedMachine()
        let batch = [F.delivery(1), F.delivery(2, "retry"), F.delivery(3, "retry")]
        _ = machine.deliverAndSubmit(batch, now: t0)
        #expect(machine.batchWritten([.ack, .retry(afterSeconds: 1), .retry(afterSeconds: 4)]) == [
            .publishRetryCopy(batch[1], afterSeconds: 1),
            .publishRetryCopy(batch[2], afterSeconds: 4),
            .confirmRetryCopies,
            .ack(deliveryTag: 3, multiple: true),
        ])
    }

    @Test func afterAGapTheSettledDeliveriesAreAckedOneByOne() {
        var machine = machineWithBatch()
        #expect(machine.batchWritten([.ack, nil, .ack]) == [
            .ack(deliveryTag: 1, multiple: true),
            .ack(deliveryTag: 3, multiple: false),
        ])
    }

    @Test func aGapAtTheStartLeavesNoMultipleAck() {
        var machine = machineWithBatch()
        #expect(machine.batchWritten([nil, .ack, .ack]) == [
            .ack(deliveryTag: 2, multiple: false),
            .ack(deliveryTag: 3, multiple: false),
        ])
    }

    @Test func anUnsettledBatchIsNotAckedAtAll() {
        var machine = machineWithBatch()
        #expect(machine.batchWritten([nil, nil, nil]) == [])
    }

    @Test func afterAGapEveryLaterBatchOfTheChannelIsAckedOneByOne() {
        var machine = machineWithBatch()
        _ = machine.batchWritten([.ack, nil, .ack])
        for first in stride(from: UInt64(4), through: 10, by: 3) {
            _ = machine.deliverAndSubmit(F.deliveries(first...first + 2), now: t0)
            #expect(machine.batchWritten([.ack, .ack, .ack]) == (first...first + 2).map { .ack(deliveryTag: $0, multiple: false) })
        }
    }

    @Test func aNewConnectionMayAckMultipleAgain() {
        var machine = machineWithBatch()
        _ = machine.batchWritten([nil, .ack, .ack])
        _ = machine.connectionLost()
        machine.connected()
        _ = machine.deliverAndSubmit(F.deliveries(1...3), now: t0)
        #expect(machine.batchWritten([.ack, .ack, .ack]) == [.ack(deliveryTag: 3, multiple: true)])
    }
}
