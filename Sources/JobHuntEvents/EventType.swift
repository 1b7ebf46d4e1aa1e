/// The event types the worker understands (contract §4), by their CloudEvents `type`.
public enum EventType: String, Sendable, Hashable, CaseIterable {
    /// A job posting was published, updated or withdrawn.
    case jobPosted = "JobPosted"
    /// The ML service scored a job for a user.
    case matchComputed = "MatchComputed"
    /// A user viewed, saved, applied to, rejected or withdrew from a job.
    case interactionRecorded = "InteractionRecorded"

    /// The AMQP routing key producers publish this type with (contract §3).
    public var routingKey: String {
        switch self {
        case .jobPosted: "job.posted"
        case .matchComputed: "match.computed"
        case .interactionRecorded: "interaction.recorded"
        }
    }
}
