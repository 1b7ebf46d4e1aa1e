import AMQPClient
import Foundation
import Synchronization

/// A consumer's writer: a thread of its own that writes one batch at a time, so that the
/// reader thread keeps reading the next batch (and answering heartbeats) while the current one
/// is written. It outlives connections; which batch it gets and what becomes of the result is
/// for `ConsumerStateMachine` to say: the reader submits a batch only after taking the previous
/// one back.
final class WriterThread: Sendable {
    private struct State {
        var submitted: [AMQPDelivery]?
        var completed: WrittenBatch?
        var busy = false
    }
    private let state = Mutex(State())
    /// Signalled once per submitted batch and once per `close()`: the thread sleeps on it
    /// between batches (a `Mutex` cannot wait for a condition).
    private let wake = DispatchSemaphore(value: 0)
    /// Signalled when the thread exits; each `close()` waits for it and passes it on.
    private let exited = DispatchSemaphore(value: 0)
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
        state.withLock { state in
            precondition(!state.busy, "a batch is already in flight")
            state.busy = true
            abandonBatch.store(false, ordering: .relaxed)
            state.submitted = batch
        }
        wake.signal()
    }

    /// The written batch, once there is one; the thread is then free for the next.
    func takeCompleted() -> WrittenBatch? {
        state.withLock { state in
            guard let batch = state.completed else { return nil }
            state.completed = nil
            state.busy = false
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
        wake.signal()
        exited.wait()
        exited.signal()
    }

    private func loop(_ write: ([AMQPDelivery], () -> Bool) -> [Settlement?], abandon: @escaping () -> Bool) {
        while true {
            wake.wait()
            // Every wake-up but a `close()`'s comes with a batch; one submitted before the close
            // is still written.
            let batch: [AMQPDelivery]? = state.withLock { state in
                defer { state.submitted = nil }
                return state.submitted
            }
            guard let batch else { break }
            let settlements = write(batch, abandon)
            state.withLock { $0.completed = WrittenBatch(deliveries: batch, settlements: settlements) }
        }
        exited.signal()
    }
}
