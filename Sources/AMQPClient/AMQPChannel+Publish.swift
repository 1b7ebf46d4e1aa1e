import CRabbitMQ

extension AMQPChannel {
    /// What the broker said about publishes since the previous `waitForConfirms`.
    public struct ConfirmResult: Sendable, Hashable {
        /// Sequence numbers the broker took responsibility for (routed and stored).
        public var acked: [UInt64]
        /// Sequence numbers the broker refused (`basic.nack`, e.g. a full quorum queue with
        /// `x-overflow: reject-publish`): publish them again.
        public var nacked: [UInt64]
        /// Mandatory messages that matched no queue (`basic.return`); the broker also acks
        /// them, but they are not in `acked`.
        public var returned: [AMQPReturnedMessage]
        /// Publishes still unconfirmed when the wait ended (0 after a full wait).
        public var outstanding: Int

        /// Creates a result (for fakes in tests).
        public init(acked: [UInt64] = [], nacked: [UInt64] = [], returned: [AMQPReturnedMessage] = [], outstanding: Int = 0) {
            self.acked = acked
            self.nacked = nacked
            self.returned = returned
            self.outstanding = outstanding
        }

        /// Nacked and returned sequence numbers, in order: the publishes that did not reach
        /// a queue.
        public var notDelivered: [UInt64] {
            (nacked + returned.compactMap(\.sequenceNumber)).sorted()
        }

        /// Whether every publish settled so far reached a queue.
        public var allDelivered: Bool { nacked.isEmpty && returned.isEmpty }

        /// A publish that did not reach a queue, and why.
        public struct Failure: Sendable, Hashable {
            /// Its publish sequence number.
            public var sequenceNumber: UInt64
            /// `nacked by the broker` or `returned: 312 NO_ROUTE`.
            public var reason: String
        }

        /// The nacked and returned publishes in sequence order, each with a reason.
        public var failures: [Failure] {
            let nackedFailures = nacked.map { Failure(sequenceNumber: $0, reason: "nacked by the broker") }
            let returnedFailures = returned.compactMap { message in
                message.sequenceNumber.map {
                    Failure(sequenceNumber: $0, reason: "returned: \(message.replyCode) \(message.replyText)")
                }
            }
            return (nackedFailures + returnedFailures).sorted { $0.sequenceNumber < $1.sequenceNumber }
        }
    }

    /// Puts the channel in confirm mode (`confirm.select`): from now on every publish gets a
    /// sequence number (1, 2, …) that the broker acks or nacks.
    public func enableConfirms() throws {
        try connection.withOpenChannel(id) { handle, state, _ in
            guard !state.confirmMode else { return }
            _ = try connection.rpc(handle, channel: id, "confirm.select") {
                amqp_confirm_select(handle, id)
            }
            state.confirmMode = true
        }
    }

    /// Publishes a message and returns its sequence number in confirm mode (0 otherwise).
    ///
    /// Publishing is asynchronous: a missing exchange closes the channel (404), which the next
    /// call on the channel reports, `waitForConfirms` included. With `mandatory`, a message
    /// no queue is bound for comes back and `waitForConfirms` reports it as returned (without
    /// confirm mode returns are discarded).
    @discardableResult
    public func publish(
        exchange: String, routingKey: String, body: [UInt8],
        properties: AMQPMessageProperties = .init(), mandatory: Bool = false
    ) throws -> UInt64 {
        try connection.withOpenChannel(id) { handle, state, arena in
            var cProperties = try arena.properties(properties)
            let exchangeBytes = try arena.bytes(exchange)
            let routingKeyBytes = try arena.bytes(routingKey)
            let status = body.withUnsafeBytes { raw in
                amqp_basic_publish(
                    handle, id, exchangeBytes, routingKeyBytes, mandatory ? 1 : 0, 0, &cProperties,
                    amqp_bytes_t(len: raw.count, bytes: UnsafeMutableRawPointer(mutating: raw.baseAddress)))
            }
            guard status == Status.ok else {
                throw connection.statusError(status, "basic.publish to \(exchange)")
            }
            return state.confirmMode ? state.recordPublish() : 0
        }
    }

    /// Publishes not yet acked or nacked by the broker.
    public var outstandingConfirms: Int {
        connection.lock.withLock { _ in connection.channels[id]?.outstanding.count ?? 0 }
    }

    /// Waits until every publish on this channel is acked or nacked, and reports what was
    /// settled since the previous call.
    ///
    /// - Throws: `.timeout` if publishes are still unconfirmed after `timeout` (nil: wait
    ///   forever; what was settled is kept for the next call); `.channelClosed` if the broker
    ///   closed the channel (e.g. 404 for a missing exchange): the outstanding publishes are
    ///   lost and must be repeated on a new channel; `.invalidUsage` without confirm mode.
    public func waitForConfirms(timeout: Duration?) throws -> ConfirmResult {
        try waitForConfirms(outstandingAtMost: 0, timeout: timeout)
    }

    /// Waits until at most `limit` publishes are unconfirmed: a confirm window. Publish, and
    /// whenever `outstandingConfirms` exceeds N, wait for at most N/2; wait for 0 at the end.
    ///
    /// ```swift
    /// for event in events {
    ///     try channel.publish(exchange: "jobhunt.events", routingKey: event.key, body: event.body)
    ///     if channel.outstandingConfirms > 1000 {
    ///         failed += try channel.waitForConfirms(outstandingAtMost: 500, timeout: .seconds(30)).notDelivered
    ///     }
    /// }
    /// failed += try channel.waitForConfirms(timeout: .seconds(30)).notDelivered
    /// ```
    public func waitForConfirms(outstandingAtMost limit: Int, timeout: Duration?) throws -> ConfirmResult {
        try connection.lock.withLock { _ in
            let handle = try connection.usableHandle()
            try connection.drainQueuedFrames(handle)
            let state = try connection.openState(of: id)
            guard state.confirmMode else {
                throw AMQPError(.invalidUsage, "channel \(id) is not in confirm mode: call enableConfirms() first")
            }
            let deadline = timeout.map { ContinuousClock.now + $0 }
            while state.outstanding.count > max(limit, 0) {
                if let error = state.closeError { throw error }
                guard try connection.pumpOne(handle, until: deadline) else {
                    throw AMQPError(
                        .timeout,
                        "\(state.outstanding.count) publishes on channel \(id) still unconfirmed after \(timeout.map { "\($0)" } ?? "the timeout")")
                }
            }
            if let error = state.closeError { throw error }
            return state.takeSettled(includeUnmatchedReturns: state.outstanding.isEmpty)
        }
    }
}
