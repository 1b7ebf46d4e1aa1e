import MongoClient

extension MongoSession {
    /// How long the store's transactions retry transient failures (write conflicts, a new
    /// primary, a commit whose outcome is unknown) before giving up with the error.
    ///
    /// Short on purpose, instead of the driver convention of 120 s: a longer outage then
    /// surfaces as `StorageUnavailable`, and the consumer waits it out in its own loop, which a
    /// shutdown can interrupt, and redoes the whole batch (every write is idempotent).
    static let storeTransactionTimeLimit: Duration = .seconds(10)
}
