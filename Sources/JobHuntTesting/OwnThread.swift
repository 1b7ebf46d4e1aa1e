import Foundation

// Blocking test work (a fake consumer, a proxy's poll loop, a `mongod` restart, a check that
// reads whole collections) runs on threads of its own, never on Swift's cooperative pool: the
// pool has as many threads as cores, and every test running beside needs them (in-process
// workers start from it, `waitUntil` polls from it). These are the tests' only way to start one.

/// Starts `body` on a new thread named `name` and returns at once.
public func startThread(named name: String? = nil, _ body: @escaping @Sendable () -> Void) {
    let thread = Thread(block: body)
    if let name { thread.name = name }
    thread.start()
}

/// Runs blocking `body` on a thread of its own and returns its result (or rethrows its error).
public func onOwnThread<T: Sendable, Failure: Error>(
    named name: String? = nil, _ body: @escaping @Sendable () throws(Failure) -> T
) async throws(Failure) -> T {
    let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, Failure>, Never>) in
        startThread(named: name) { continuation.resume(returning: Result { () throws(Failure) -> T in try body() }) }
    }
    return try result.get()
}

/// `onOwnThread` for work and values that are not `Sendable` (a workload, a computed state).
/// Unchecked: the caller awaits the thread, so `body` and its value are never used from two
/// threads at once.
public func offThePool<T>(_ body: @escaping () throws -> T) async throws -> T {
    let work = UncheckedSendable(body)
    return try await onOwnThread { UncheckedSendable(try work.value()) }.value
}

/// A value handed to another thread while its owner waits for that thread.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value

    init(_ value: Value) { self.value = value }
}
