import CRabbitMQ

/// A channel of an `AMQPConnection`: a small handle (connection + id) that is cheap to copy.
/// It follows its connection's threading rule: one thread at a time.
///
/// Synchronous methods (declare, bind, qos, consume, get, …) wait for the broker's reply.
/// When the broker closes the channel instead (404 NOT_FOUND, 406 PRECONDITION_FAILED, …)
/// they throw `.channelClosed`, and so does every later use of the channel; open it again
/// with `connection.openChannel(id)`.
public struct AMQPChannel: Sendable {
    /// The connection the channel belongs to.
    public let connection: AMQPConnection
    /// The channel number.
    public let id: UInt16

    /// The broker's answer to `queue.declare`.
    public struct QueueInfo: Sendable, Hashable {
        /// The queue name (the broker's generated name for a declare with an empty name).
        public var name: String
        /// Messages ready for delivery (not counting unacknowledged ones).
        public var messageCount: UInt32
        /// Active consumers.
        public var consumerCount: UInt32
    }

    init(connection: AMQPConnection, id: UInt16) {
        self.connection = connection
        self.id = id
    }

    // MARK: - Topology

    /// Declares an exchange (`direct`, `fanout`, `topic`, `headers`). Redeclaring with the
    /// same settings is a no-op; different settings close the channel with 406.
    public func declareExchange(
        name: String, type: String, durable: Bool = true, autoDelete: Bool = false,
        internal: Bool = false, arguments: AMQPTable = [:]
    ) throws {
        try connection.withOpenChannel(id) { handle, _, arena in
            _ = try connection.rpc(handle, channel: id, "exchange.declare \(name)") {
                amqp_exchange_declare(
                    handle, id, try arena.bytes(name), try arena.bytes(type), 0, durable ? 1 : 0,
                    autoDelete ? 1 : 0, `internal` ? 1 : 0, try arena.table(arguments))
            }
        }
    }

    /// Checks that an exchange exists; a missing one closes the channel with 404.
    public func declareExchangePassive(name: String) throws {
        try connection.withOpenChannel(id) { handle, _, arena in
            _ = try connection.rpc(handle, channel: id, "exchange.declare \(name) (passive)") {
                amqp_exchange_declare(handle, id, try arena.bytes(name), try arena.bytes(""), 1, 0, 0, 0, try arena.table([:]))
            }
        }
    }

    /// Deletes an exchange (no error if it does not exist).
    public func deleteExchange(name: String, ifUnused: Bool = false) throws {
        try connection.withOpenChannel(id) { handle, _, arena in
            _ = try connection.rpc(handle, channel: id, "exchange.delete \(name)") {
                amqp_exchange_delete(handle, id, try arena.bytes(name), ifUnused ? 1 : 0)
            }
        }
    }

    /// Declares a queue. Quorum queues need `arguments: ["x-queue-type": "quorum"]` and
    /// `durable: true`. An empty name asks the broker to generate one.
    @discardableResult
    public func declareQueue(
        name: String, durable: Bool = true, exclusive: Bool = false, autoDelete: Bool = false,
        arguments: AMQPTable = [:]
    ) throws -> QueueInfo {
        try declare(name: name, passive: false, durable: durable, exclusive: exclusive, autoDelete: autoDelete, arguments: arguments)
    }

    /// Checks that a queue exists and returns its counts; a missing queue closes the channel
    /// with 404.
    @discardableResult
    public func declareQueuePassive(name: String) throws -> QueueInfo {
        try declare(name: name, passive: true, durable: false, exclusive: false, autoDelete: false, arguments: [:])
    }

    private func declare(
        name: String, passive: Bool, durable: Bool, exclusive: Bool, autoDelete: Bool, arguments: AMQPTable
    ) throws -> QueueInfo {
        try connection.withOpenChannel(id) { handle, _, arena in
            let ok = try connection.rpc(handle, channel: id, "queue.declare \(name)") {
                amqp_queue_declare(
                    handle, id, try arena.bytes(name), passive ? 1 : 0, durable ? 1 : 0,
                    exclusive ? 1 : 0, autoDelete ? 1 : 0, try arena.table(arguments))
            }
            return QueueInfo(name: ok.queue.text, messageCount: ok.message_count, consumerCount: ok.consumer_count)
        }
    }

    /// Binds a queue to an exchange.
    public func bindQueue(queue: String, exchange: String, routingKey: String, arguments: AMQPTable = [:]) throws {
        try connection.withOpenChannel(id) { handle, _, arena in
            _ = try connection.rpc(handle, channel: id, "queue.bind \(queue) to \(exchange)") {
                amqp_queue_bind(
                    handle, id, try arena.bytes(queue), try arena.bytes(exchange), try arena.bytes(routingKey),
                    try arena.table(arguments))
            }
        }
    }

    /// Removes a binding.
    public func unbindQueue(queue: String, exchange: String, routingKey: String, arguments: AMQPTable = [:]) throws {
        try connection.withOpenChannel(id) { handle, _, arena in
            _ = try connection.rpc(handle, channel: id, "queue.unbind \(queue) from \(exchange)") {
                amqp_queue_unbind(
                    handle, id, try arena.bytes(queue), try arena.bytes(exchange), try arena.bytes(routingKey),
                    try arena.table(arguments))
            }
        }
    }

    /// Deletes a queue and returns how many messages it held (no error if it does not
    /// exist). Its consumers are cancelled by the broker.
    @discardableResult
    public func deleteQueue(name: String, ifUnused: Bool = false, ifEmpty: Bool = false) throws -> UInt32 {
        try connection.withOpenChannel(id) { handle, _, arena in
            try connection.rpc(handle, channel: id, "queue.delete \(name)") {
                amqp_queue_delete(handle, id, try arena.bytes(name), ifUnused ? 1 : 0, ifEmpty ? 1 : 0)
            }.message_count
        }
    }

    /// Removes the ready messages of a queue and returns how many there were.
    @discardableResult
    public func purgeQueue(name: String) throws -> UInt32 {
        try connection.withOpenChannel(id) { handle, _, arena in
            try connection.rpc(handle, channel: id, "queue.purge \(name)") {
                amqp_queue_purge(handle, id, try arena.bytes(name))
            }.message_count
        }
    }

    // MARK: - Consuming

    /// Limits unacknowledged deliveries (`basic.qos`): per consumer, or for the whole channel
    /// with `global` (quorum queues support only per-consumer limits).
    public func setPrefetch(count: UInt16, global: Bool = false) throws {
        try connection.withOpenChannel(id) { handle, _, _ in
            _ = try connection.rpc(handle, channel: id, "basic.qos") {
                amqp_basic_qos(handle, id, 0, count, global ? 1 : 0)
            }
        }
    }

    /// Starts a consumer with manual acknowledgement and returns its tag (the broker makes
    /// one up for an empty `consumerTag`). Deliveries arrive through
    /// `connection.consumeMessage(timeout:)`.
    @discardableResult
    public func consume(
        queue: String, consumerTag: String = "", exclusive: Bool = false, arguments: AMQPTable = [:]
    ) throws -> String {
        try connection.withOpenChannel(id) { handle, state, arena in
            let ok = try connection.rpc(handle, channel: id, "basic.consume \(queue)") {
                amqp_basic_consume(
                    handle, id, try arena.bytes(queue), try arena.bytes(consumerTag), 0, 0,
                    exclusive ? 1 : 0, try arena.table(arguments))
            }
            let tag = ok.consumer_tag.text
            state.consumers.insert(tag)
            return tag
        }
    }

    /// Stops a consumer. Deliveries already on their way still arrive and need acks.
    public func cancel(consumerTag: String) throws {
        try connection.withOpenChannel(id) { handle, state, arena in
            _ = try connection.rpc(handle, channel: id, "basic.cancel \(consumerTag)") {
                amqp_basic_cancel(handle, id, try arena.bytes(consumerTag))
            }
            state.consumers.remove(consumerTag)
        }
    }

    /// Acknowledges a delivery, or with `multiple` every unacknowledged delivery up to and
    /// including `deliveryTag` on this channel.
    public func ack(deliveryTag: UInt64, multiple: Bool = false) throws {
        try connection.withOpenChannel(id) { handle, _, _ in
            let status = amqp_basic_ack(handle, id, deliveryTag, multiple ? 1 : 0)
            if status != Status.ok { throw connection.statusError(status, "basic.ack") }
        }
    }

    /// Negatively acknowledges deliveries; without `requeue` they are dead-lettered (or
    /// dropped if the queue has no dead-letter exchange).
    public func nack(deliveryTag: UInt64, multiple: Bool = false, requeue: Bool) throws {
        try connection.withOpenChannel(id) { handle, _, _ in
            let status = amqp_basic_nack(handle, id, deliveryTag, multiple ? 1 : 0, requeue ? 1 : 0)
            if status != Status.ok { throw connection.statusError(status, "basic.nack") }
        }
    }

    /// Rejects one delivery; without `requeue` it is dead-lettered (or dropped).
    public func reject(deliveryTag: UInt64, requeue: Bool) throws {
        try connection.withOpenChannel(id) { handle, _, _ in
            let status = amqp_basic_reject(handle, id, deliveryTag, requeue ? 1 : 0)
            if status != Status.ok { throw connection.statusError(status, "basic.reject") }
        }
    }

    /// Fetches one message with manual acknowledgement (`basic.get`), or nil if the queue
    /// has none ready. For tests and tools; consumers are far faster.
    public func get(queue: String) throws -> AMQPDelivery? {
        try connection.withOpenChannel(id) { handle, state, arena in
            amqp_maybe_release_buffers(handle)
            let reply = amqp_basic_get(handle, id, try arena.bytes(queue), 0)
            try connection.check(reply, channel: id, "basic.get \(queue)")
            guard reply.reply.id == AMQP_BASIC_GET_OK_METHOD,
                let ok = Decode.method(reply.reply, as: amqp_basic_get_ok_t.self)
            else { return nil }
            let deliveryTag = ok.delivery_tag
            let redelivered = ok.redelivered != 0
            let exchange = ok.exchange.text
            let routingKey = ok.routing_key.text
            guard let (properties, body) = try connection.readContent(handle, channel: id, context: "basic.get \(queue)")
            else {
                throw state.closeError ?? AMQPError(.channelClosed(code: 0, text: ""), "channel \(id) closed during basic.get")
            }
            return AMQPDelivery(
                body: body, deliveryTag: deliveryTag, redelivered: redelivered, exchange: exchange,
                routingKey: routingKey, consumerTag: "", channel: id, properties: properties)
        }
    }

    // MARK: - Closing

    /// Closes the channel (`channel.close`); unacknowledged deliveries go back to their
    /// queues. Idempotent, and a no-op on a dead connection or a channel the broker closed.
    public func close() {
        connection.lock.withLock { _ in
            guard let handle = connection.handle, connection.failure == nil,
                let state = connection.channels[id]
            else { return }
            connection.channels[id] = nil
            connection.events.removeDeliveries(channel: id)
            guard state.isOpen else { return }
            state.isOpen = false
            amqp_maybe_release_buffers(handle)
            let reply = amqp_channel_close(handle, id, AMQP_REPLY_SUCCESS)
            // A failure here is recorded on the connection if it is fatal; nothing else to do.
            _ = try? connection.check(reply, channel: id, "channel.close")
        }
    }
}
