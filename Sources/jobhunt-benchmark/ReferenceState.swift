import JobHuntEvents
import JobHuntHandlers
import JobHuntWorkload

/// What a workload must leave in the database, computed by the in-memory reference semantics.
enum ReferenceState {
    /// The in-memory store after applying every message of `workload`, retrying out-of-order
    /// events until nothing changes (as the worker's retries would).
    static func apply(_ workload: Workload) -> InMemoryJobHuntStorage {
        let storage = InMemoryJobHuntStorage()
        workload.userIDs.forEach(storage.addUser)
        let processor = MessageProcessor(handler: EventHandler(storage: storage))
        var pending = workload.messages.map(\.body)
        while !pending.isEmpty {
            let waiting = pending.filter { body in
                guard let result = try? processor.process(body) else { return false }
                if case .retryLater = result.outcome { return true }
                return false
            }
            if waiting.count == pending.count { break }
            pending = waiting
        }
        return storage
    }
}
