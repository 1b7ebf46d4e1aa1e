import Foundation

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
}
