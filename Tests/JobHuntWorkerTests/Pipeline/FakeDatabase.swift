import AMQPClient
@testable import JobHuntWorker
import JobHuntHandlers
import Synchronization

/// The database side in memory: processing that does what each body says (`apply`, `retry`,
/// `reject`) and a dead-letter recorder, both writing to the journal ("write 1,2,3",
/// "record 2"). The test can take the database down, or hold a write until it lets it go.
final class FakeDatabase: Sendable {
    private struct State {
        var down = false
        var recorderFailuresLeft = 0
        var holdWrites = false
        var writesStarted = 0
    }

    private let journal: Journal
    private let state = Mutex(State())

    init(journal: Journal) { self.journal = journal }

    /// While down, every write and record throws `StorageUnavailable`.
    func setDown(_ down: Bool) { state.withLock { $0.down = down } }

    /// The recorder fails this many times before it records.
    func failRecords(_ times: Int) { state.withLock { $0.recorderFailuresLeft = times } }

    /// While held, a write waits (its batch stays in the writer).
    func holdWrites(_ hold: Bool) { state.withLock { $0.holdWrites = hold } }

    /// How many writes began (held ones included).
    var writesStarted: Int { state.withLock { $0.writesStarted } }

    var processing: DeliveryProcessing {
        DeliveryProcessing { [self] deliveries throws(StorageUnavailable) in
            state.withLock { $0.writesStarted += 1 }
            while state.withLock({ $0.holdWrites }) { blockingSleep(.milliseconds(1)) }
            let tags = deliveries.map { "\($0.deliveryTag)" }.joined(separator: ",")
            if state.withLock({ $0.down }) {
                journal.append("write \(tags) failed")
                throw StorageUnavailable("the database is down")
            }
            journal.append("write \(tags)")
            return deliveries.map(Self.outcome)
        }
    }

    var recorder: any DeadLetterRecorder { Recorder(database: self) }

    private static func outcome(_ delivery: AMQPDelivery) -> ProcessedMessage {
        let outcome: HandlingOutcome
        switch String(decoding: delivery.body, as: UTF8.self) {
        case "retry": outcome = .retryLater(detail: "job missing")
        case "reject": outcome = .rejected(.schemaInvalid, detail: "title missing")
        default: outcome = .applied
        }
        return ProcessedMessage(eventID: "e\(delivery.deliveryTag)", eventType: "JobPosted", outcome: outcome)
    }

    private struct Recorder: DeadLetterRecorder {
        let database: FakeDatabase

        func record(_ failure: FailedDelivery) throws(StorageUnavailable) -> String {
            let tag = failure.delivery.deliveryTag
            let fails = database.state.withLock { state in
                defer { state.recorderFailuresLeft = max(0, state.recorderFailuresLeft - 1) }
                return state.down || state.recorderFailuresLeft > 0
            }
            if fails {
                database.journal.append("record \(tag) failed")
                throw StorageUnavailable("the database is down")
            }
            database.journal.append("record \(tag) \(failure.reason.rawValue) from \(failure.queue) as \(failure.routingKey)")
            return "id\(tag)"
        }
    }
}
