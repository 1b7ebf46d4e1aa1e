import Foundation
import Synchronization

/// Runs blocking work on a thread of its own, off Swift's small concurrency pool, and lets
/// async code await its end.
enum DedicatedThread {
    /// Runs `body` on a new thread named `name` and returns its result when it finishes.
    static func run<T: Sendable>(name: String, _ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: body())
            }
            thread.name = name
            thread.start()
        }
    }

    /// Runs `body` on a new thread named `name` and returns its result, or nil as soon as the
    /// calling task is cancelled: for blocking work (a connection attempt that may wait out a
    /// long timeout) that a shutdown must not wait for. The thread then finishes on its own and
    /// its result is dropped.
    static func runUnlessCancelled<T: Sendable>(name: String, _ body: @escaping @Sendable () -> T) async -> T? {
        let outcome = FirstOutcome<T>()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                guard outcome.wait(with: continuation) else { return }
                let thread = Thread { outcome.resolve(body()) }
                thread.name = name
                thread.start()
            }
        } onCancel: {
            outcome.resolve(nil)
        }
    }
}

/// Whichever comes first, the thread's result or a cancellation, resumes the waiting task;
/// the other is ignored.
private final class FirstOutcome<T: Sendable>: Sendable {
    private enum State {
        case idle
        case waiting(CheckedContinuation<T?, Never>)
        case resolved(T?)
        case done
    }
    private let state = Mutex<State>(.idle)

    /// Parks `continuation` until `resolve`; false (and resumed already) if it was resolved first.
    func wait(with continuation: CheckedContinuation<T?, Never>) -> Bool {
        let early: T?? = state.withLock { state in
            if case .resolved(let value) = state {
                state = .done
                return .some(value)
            }
            state = .waiting(continuation)
            return .none
        }
        guard let early else { return true }
        continuation.resume(returning: early)
        return false
    }

    func resolve(_ value: T?) {
        let continuation: CheckedContinuation<T?, Never>? = state.withLock { state in
            switch state {
            case .idle:
                state = .resolved(value)
                return nil
            case .waiting(let continuation):
                state = .done
                return continuation
            case .resolved, .done:
                return nil
            }
        }
        continuation?.resume(returning: value)
    }
}
