import JobHuntEvents

/// A deterministic mix of messages, as producers would publish them, with what they mean.
///
/// Every match and interaction names a user that exists and a job that some JobPosted event of
/// the workload posts, so everything valid can be applied (possibly after a retry, since queues
/// are consumed independently). Interactions never share a (user, job, type) key with a
/// different event: the final state does not depend on the order messages are consumed in.
public struct Workload: Sendable {
    /// One message to publish.
    public struct Message: Sendable {
        /// The body, as published.
        public let body: [UInt8]
        /// The routing key it is published with.
        public let routingKey: String
        /// The event, or nil for an invalid message.
        public let event: Event?
    }

    /// The users, to insert into `users` first.
    public let userIDs: [ObjectIDHex]
    /// The messages, in publish order.
    public let messages: [Message]

    /// Generates the workload described by `spec`.
    public init(_ spec: WorkloadSpec) {
        var generator = WorkloadGenerator(spec: spec)
        self.userIDs = generator.userIDs
        self.messages = generator.messages()
    }

    /// The valid events, duplicates included.
    public var events: [Event] { messages.compactMap(\.event) }

    /// How many messages are invalid.
    public var invalidCount: Int { messages.count { $0.event == nil } }
}
