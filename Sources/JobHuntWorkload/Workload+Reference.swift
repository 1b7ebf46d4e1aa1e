import JobHuntHandlers

extension Workload {
    /// What the workload must leave in the database: the in-memory reference store after
    /// applying every message, retrying out-of-order events until nothing changes (as the
    /// worker's retries would). Tests and the benchmark compare the database with it.
    public func referenceStorage() -> InMemoryJobHuntStorage {
        let storage = InMemoryJobHuntStorage()
        userIDs.forEach(storage.addUser)
        let processor = MessageProcessor(handler: EventHandler(storage: storage))
        var pending = messages.map(\.body)
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
