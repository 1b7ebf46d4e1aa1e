import JobHuntEvents
import JobHuntWorkload

extension Workload {
    /// What the workload must leave in the database: the reference model after applying every
    /// valid message, applying again those still waiting for a reference until nothing changes
    /// (as the worker's retries would).
    public func referenceModel() -> ReferenceModel {
        var model = ReferenceModel(users: userIDs)
        var pending = events
        while !pending.isEmpty {
            let waiting = pending.filter { model.apply($0) == .waitingForReference }
            if waiting.count == pending.count { break }
            pending = waiting
        }
        return model
    }
}
