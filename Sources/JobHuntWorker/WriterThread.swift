import AMQPClient
import Foundation
import Synchronization

/// A consumer's writer: a thread of its own that writes one batch at a time with a
/// `BatchWriter`, so that the consumer's thread keeps reading the next batch (and answering
/// heartbeats) while the current one is written. The consumer submits a batch only when the
/// previous one has been taken back, so at most one batch is in flight.
final class WriterThread: @unchecked Sendable {
    // @unchecked: the mutable state below is guarded by `condition`.
    private let condition = NSCondition()
    private var submitted: [AMQPDelivery]?
    private var completed: WrittenBatch?
    private var busy = false
    private var closing = false
    private var exited = false
    private let abandoned = Atomic<Bool>(false)

    /// Starts the thread, named `name`.
    init(name: String, writer: BatchWriter, stop: StopSignal) {
        let thread = Thread { [self] in
            loop(writer) { stop.isRaised || self.abandoned.load(ordering: .relaxed) }
        }
        thread.name = name
        thread.start()
    }

    /// Whether a batch is submitted and not yet taken back.
    var isBusy: Bool {
        condition.withLock { busy }
    }

    /// Hands `batch` to the thread. Only when not `isBusy`.
    func submit(_ batch: [AMQPDelivery]) {
        condition.withLock {
            precondition(!busy, "a batch is already in flight")
            busy = true
            submitted = batch
            condition.broadcast()
        }
    }

    /// The written batch, once there is one; the thread is then free for the next.
    func takeCompleted() -> WrittenBatch? {
        condition.withLock {
            guard let batch = completed else { return nil }
            completed = nil
            busy = false
            return batch
        }
    }

    /// Stops the thread after the batch in flight and waits for it to exit. With `abandon`,
    /// a batch waiting out a database outage gives up instead (its deliveries stay unacked).
    func close(abandon: Bool) {
        if abandon { abandoned.store(true, ordering: .relaxed) }
        condition.withLock {
            closing = true
            condition.broadcast()
            while !exited { condition.wait() }
        }
    }

    private func loop(_ writer: BatchWriter, abandon: @escaping () -> Bool) {
        while true {
            let batch: [AMQPDelivery]? = condition.withLock {
                while submitted == nil && !closing { condition.wait() }
                defer { submitted = nil }
                return submitted
            }
            guard let batch else { break }
            let settlements = writer.write(batch, abandon: abandon)
            condition.withLock {
                completed = WrittenBatch(deliveries: batch, settlements: settlements)
                condition.broadcast()
            }
        }
        condition.withLock {
            exited = true
            condition.broadcast()
        }
    }
}

/// A batch back from the writer: each delivery with its settlement (nil: leave it unacked).
struct WrittenBatch: Sendable {
    let deliveries: [AMQPDelivery]
    let settlements: [Settlement?]
}
