import AMQPClient
import Foundation
import Synchronization

/// A consumer's writer: a thread of its own that writes one batch at a time, so that the
/// reader thread keeps reading the next batch (and answering heartbeats) while the current one
/// is written. It outlives connections; which batch it gets and what becomes of the result is
/// for `ConsumerStateMachine` to say: the reader submits a batch only after taking the previous
/// one back.
final class WriterThread: @unchecked Sendable {
    // @unchecked: the mutable state below is guarded by `condition`; the flags are atomic.
    private let condition = NSCondition()
    private var submitted: [AMQPDelivery]?
    private var completed: WrittenBatch?
    private var busy = false
    private var closing = false
    private var exited = false
    /// Give up the current batch if it waits out an outage (cleared by the next submit).
    private let abandonBatch = Atomic<Bool>(false)
    /// Give up every batch that waits out an outage, from now on.
    private let abandonAll = Atomic<Bool>(false)

    /// Starts the thread, named `name`, writing with `write` (which gives up an outage once
    /// its `abandon` argument returns true).
    init(name: String, write: @escaping @Sendable (_ batch: [AMQPDelivery], _ abandon: () -> Bool) -> [Settlement?]) {
        let thread = Thread { [self] in
            loop(write) { self.abandonAll.load(ordering: .relaxed) || self.abandonBatch.load(ordering: .relaxed) }
        }
        thread.name = name
        thread.start()
    }

    /// Hands `batch` to the thread. Only when the previous one has been taken back.
    func submit(_ batch: [AMQPDelivery]) {
        condition.withLock {
            precondition(!busy, "a batch is already in flight")
            busy = true
            abandonBatch.store(false, ordering: .relaxed)
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

    /// Gives up the batch in flight if it waits out a database outage.
    func abandonBatchInFlight() { abandonBatch.store(true, ordering: .relaxed) }

    /// Gives up every batch that waits out a database outage, from now on.
    func abandonOutages() { abandonAll.store(true, ordering: .relaxed) }

    /// Stops the thread after the batch in flight (given up if it waits out an outage) and
    /// waits for it to exit.
    func close() {
        abandonOutages()
        condition.withLock {
            closing = true
            condition.broadcast()
            while !exited { condition.wait() }
        }
    }

    private func loop(_ write: ([AMQPDelivery], () -> Bool) -> [Settlement?], abandon: @escaping () -> Bool) {
        while true {
            let batch: [AMQPDelivery]? = condition.withLock {
                while submitted == nil && !closing { condition.wait() }
                defer { submitted = nil }
                return submitted
            }
            guard let batch else { break }
            let settlements = write(batch, abandon)
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
