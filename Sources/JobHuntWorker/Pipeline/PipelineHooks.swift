import AMQPClient

/// Fixed points of a consumer's settlement where a test can stop the worker. A hook runs on
/// the consumer's reader thread; if it throws, the consumer drops its connection without
/// acking anything more (what a killed process does to the broker) and connects again.
public struct PipelineHooks: Sendable {
    /// A batch's effects and dead letters are committed; nothing of it is acked yet, no retry
    /// copy published. Gets the queue and the batch.
    public var afterWrite: (@Sendable (_ queue: String, _ batch: [AMQPDelivery]) throws -> Void)?
    /// A batch's retry copies are confirmed by the broker; the originals are not acked yet.
    /// Gets the queue and the deliveries that were copied.
    public var afterRetryConfirm: (@Sendable (_ queue: String, _ copied: [AMQPDelivery]) throws -> Void)?

    /// Hooks at the given points; none by default.
    public init(
        afterWrite: (@Sendable (_ queue: String, _ batch: [AMQPDelivery]) throws -> Void)? = nil,
        afterRetryConfirm: (@Sendable (_ queue: String, _ copied: [AMQPDelivery]) throws -> Void)? = nil
    ) {
        self.afterWrite = afterWrite
        self.afterRetryConfirm = afterRetryConfirm
    }
}
