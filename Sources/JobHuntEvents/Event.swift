/// The validated `data` of an event, by type.
public enum EventPayload: Sendable, Hashable {
    /// The data of a `JobPosted` event.
    case jobPosted(JobPosting)
    /// The data of a `MatchComputed` event.
    case matchComputed(MatchComputed)
    /// The data of an `InteractionRecorded` event.
    case interactionRecorded(InteractionRecorded)

    /// The event type this payload belongs to.
    public var eventType: EventType {
        switch self {
        case .jobPosted: .jobPosted
        case .matchComputed: .matchComputed
        case .interactionRecorded: .interactionRecorded
        }
    }
}

/// A decoded and validated event: its envelope attributes and its data.
public struct Event: Sendable, Hashable {
    /// The envelope attributes.
    public var metadata: EventMetadata
    /// The data; its case always matches `metadata.type` for decoded events.
    public var payload: EventPayload

    /// An event from its parts (not validated; `EventDecoder` is the gate).
    public init(metadata: EventMetadata, payload: EventPayload) {
        self.metadata = metadata
        self.payload = payload
    }
}
