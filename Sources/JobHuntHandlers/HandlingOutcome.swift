/// What handling one event did. Infrastructure failures are not outcomes: they are thrown as
/// `StorageUnavailable`, and the message is retried as it is.
public enum HandlingOutcome: Sendable, Hashable {
    /// The event's effect is now committed.
    case applied
    /// Nothing had to change: the effect was already there, or a newer version was.
    case unchanged(UnchangedReason)
    /// A reference does not exist yet; try again later (within the retry window).
    case retryLater(detail: String)
    /// The event can never succeed as it is: a dead letter.
    case rejected(DeadLetterReason, detail: String)

    /// Whether the message is finished with (acknowledged) after this outcome.
    public var isSettled: Bool {
        if case .retryLater = self { return false }
        return true
    }
}

/// Why an event changed nothing.
public enum UnchangedReason: String, Sendable, Hashable {
    /// The same event (same id) was applied before: a redelivery or a replay.
    case duplicateEvent = "duplicate_event"
    /// A newer version of the same entity was already written.
    case staleVersion = "stale_version"
}
