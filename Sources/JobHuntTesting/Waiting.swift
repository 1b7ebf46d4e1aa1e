/// Polls `condition` every `interval` until it holds; throws `ConditionTimeout` (failing the
/// test) if it still does not hold after `timeout`. For conditions that block (database
/// queries, whole collections compared): each check runs on a thread of its own (`onOwnThread`).
public func waitUntil(
    timeout: Duration = .seconds(60), every interval: Duration = .milliseconds(50),
    sourceLocation: String = #fileID, line: Int = #line, _ condition: @escaping () throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    // Unchecked: a check runs on one thread at a time, and the test awaits each.
    let check = UncheckedSendable(condition)
    while ContinuousClock.now < deadline {
        if try await onOwnThread({ try check.value() }) { return }
        try await Task.sleep(for: interval)
    }
    if try condition() { return }
    throw ConditionTimeout(description: "condition at \(sourceLocation):\(line) did not hold within \(timeout)")
}

/// A condition that a test waited for never held.
public struct ConditionTimeout: Error, CustomStringConvertible {
    public let description: String

    public init(description: String) { self.description = description }
}

/// Whether `condition` holds within `timeout`, checked every `interval` on the caller's task:
/// for cheap in-memory conditions (a fake's journal). The timeout is generous: the whole suite
/// shares two cores, and the integration tests beside can hold the concurrency pool for seconds.
public func eventually(
    within timeout: Duration = .seconds(60), every interval: Duration = .milliseconds(5), _ condition: () -> Bool
) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: interval)
    }
    return condition()
}
