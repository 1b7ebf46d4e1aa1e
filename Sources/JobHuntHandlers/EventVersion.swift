import JobHuntEvents

/// The version of an entity that an event wrote: the event's own `time`, ties broken by its `id`.
///
/// Contract §5: an event older than the one that last wrote a document changes nothing, and on
/// equal `time` the greater `id` in byte order wins, so every worker agrees on the winner.
/// `time` has millisecond precision (see `Timestamp`).
public struct EventVersion: Sendable, Hashable, Comparable {
    /// The event's `time`.
    public let time: Timestamp
    /// The event's `id`.
    public let eventID: String

    /// A version made of an event's time and id.
    public init(time: Timestamp, eventID: String) {
        self.time = time
        self.eventID = eventID
    }

    /// The version that an event writes.
    public init(of metadata: EventMetadata) {
        self.init(time: metadata.time, eventID: metadata.id)
    }

    /// Time first, then the id compared as UTF-8 bytes (not as Swift's Unicode-aware `<`),
    /// exactly as MongoDB compares strings.
    public static func < (lhs: EventVersion, rhs: EventVersion) -> Bool {
        if lhs.time != rhs.time { return lhs.time < rhs.time }
        return lhs.eventID.utf8.lexicographicallyPrecedes(rhs.eventID.utf8)
    }
}

/// What an event may do to an entity that records `stored` (contract §5 ordering): the one
/// place that decides it. An entity without a readable version (written by someone else, such
/// as the REST backend) is replaced by any event.
public enum VersionDecision: Sendable, Hashable {
    /// The event is newer: it replaces the entity.
    case write
    /// The entity records this very event: a redelivery or a replay.
    case sameVersion
    /// The entity records a newer event: nothing changes.
    case newerVersionPresent

    /// The decision for an event of `version` over an entity that records `stored`.
    public init(_ version: EventVersion, over stored: EventVersion?) {
        guard let stored else {
            self = .write
            return
        }
        if stored == version {
            self = .sameVersion
        } else {
            self = stored < version ? .write : .newerVersionPresent
        }
    }

    /// The outcome of an event given this decision.
    var outcome: HandlingOutcome {
        switch self {
        case .write: return .applied
        case .sameVersion: return .unchanged(.duplicateEvent)
        case .newerVersionPresent: return .unchanged(.staleVersion)
        }
    }
}
