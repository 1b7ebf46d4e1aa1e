#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CRabbitMQ

// The connection's frame machinery. Every function here runs with `lock` held, and copies
// whatever it needs out of librabbitmq's memory before the next read can reuse it.

extension AMQPConnection {
    /// Sends `connection.close` (if asked) and frees the handle. A broker that vanished
    /// without a word must not hold up shutdown for the whole RPC timeout: the close waits at
    /// most 5 seconds.
    func destroy(_ handle: amqp_connection_state_t, sendingClose: Bool) {
        if sendingClose {
            var closeTimeout = timeval(tv_sec: 5, tv_usec: 0)
            if let current = amqp_get_rpc_timeout(handle), current.pointee.tv_sec < 5 {
                closeTimeout = current.pointee
            }
            _ = amqp_set_rpc_timeout(handle, &closeTimeout)
            _ = amqp_connection_close(handle, AMQP_REPLY_SUCCESS)
        }
        amqp_destroy_connection(handle)
    }

    /// The handle, or the error that made the connection unusable.
    func usableHandle() throws -> amqp_connection_state_t {
        if let failure { throw failure }
        guard let handle else { throw AMQPError(.invalidUsage, "the connection is closed") }
        return handle
    }

    /// Records a fatal error: from now on every call throws it.
    @discardableResult
    func fail(_ error: AMQPError) -> AMQPError {
        if failure == nil { failure = error }
        return error
    }

    /// The error for a library status; fatal unless the status leaves the connection intact.
    func statusError(_ status: Int32, _ context: String, file: String = #fileID, line: Int = #line) -> AMQPError {
        let error = Status.error(status, context, file: file, line: line)
        if !Status.isRecoverable(status) { fail(error) }
        return error
    }

    /// Runs one channel operation: checks the connection and the channel, handles frames
    /// that earlier calls queued (a `channel.close` among them must be seen before the
    /// channel is used again), then calls `body` with an arena that is reset afterwards.
    func withOpenChannel<T: Sendable>(
        _ id: UInt16, _ body: (amqp_connection_state_t, ChannelState, Arena) throws -> T
    ) throws -> T {
        try lock.withLock { _ in
            let handle = try usableHandle()
            try drainQueuedFrames(handle)
            let state = try openState(of: id)
            return try arena.scoped { try body(handle, state, $0) }
        }
    }

    /// The state of an open channel, or the reason it cannot be used.
    func openState(of id: UInt16) throws -> ChannelState {
        guard let state = channels[id] else {
            throw AMQPError(.invalidUsage, "channel \(id) is not open on this connection")
        }
        if let error = state.closeError { throw error }
        guard state.isOpen else { throw AMQPError(.invalidUsage, "channel \(id) is closed") }
        return state
    }

    /// Calls a librabbitmq RPC wrapper (which returns the decoded reply or NULL) and checks
    /// its outcome. The returned struct may point into librabbitmq's pools: copy what you
    /// need before the next read.
    func rpc<Reply>(
        _ handle: amqp_connection_state_t, channel: UInt16, _ context: String,
        file: String = #fileID, line: Int = #line,
        _ call: () throws -> UnsafeMutablePointer<Reply>?
    ) throws -> Reply {
        amqp_maybe_release_buffers(handle)
        let pointer = try call()
        try check(amqp_get_rpc_reply(handle), channel: channel, context, file: file, line: line)
        guard let pointer else {
            throw fail(AMQPError(.protocolError, "\(context): librabbitmq returned no reply", file: file, line: line))
        }
        return pointer.pointee
    }

    /// Turns a non-normal RPC reply into an error, answering a broker close on the way.
    func check(
        _ reply: amqp_rpc_reply_t, channel: UInt16, _ context: String,
        file: String = #fileID, line: Int = #line
    ) throws {
        switch reply.reply_type {
        case AMQP_RESPONSE_NORMAL:
            return
        case AMQP_RESPONSE_LIBRARY_EXCEPTION:
            throw statusError(reply.library_error, context, file: file, line: line)
        case AMQP_RESPONSE_SERVER_EXCEPTION:
            if let error = handleBrokerClose(reply.reply, channel: channel, context: context, file: file, line: line) {
                throw error
            }
            throw fail(AMQPError(.protocolError, "\(context): unexpected method \(reply.reply.id) from the broker", file: file, line: line))
        default:
            throw fail(AMQPError(.protocolError, "\(context): librabbitmq reported no reply", file: file, line: line))
        }
    }

    /// Answers a broker `channel.close` or `connection.close` with its close-ok and records
    /// it. Returns the error to report, or nil if `method` is neither.
    func handleBrokerClose(
        _ method: amqp_method_t, channel: UInt16, context: String,
        file: String = #fileID, line: Int = #line
    ) -> AMQPError? {
        switch method.id {
        case AMQP_CHANNEL_CLOSE_METHOD:
            let close = Decode.method(method, as: amqp_channel_close_t.self)
            let code = close?.reply_code ?? 0
            let text = close?.reply_text.text ?? ""
            if let handle {
                var closeOK = amqp_channel_close_ok_t()
                let status = amqp_send_method(handle, channel, AMQP_CHANNEL_CLOSE_OK_METHOD, &closeOK)
                if status != Status.ok { _ = statusError(status, "sending channel.close-ok") }
            }
            let error = AMQPError(
                .channelClosed(code: code, text: text),
                "\(context): the broker closed channel \(channel): \(code) \(text)", file: file, line: line)
            channelClosedByBroker(channel, error)
            return error
        case AMQP_CONNECTION_CLOSE_METHOD:
            let close = Decode.method(method, as: amqp_connection_close_t.self)
            let code = close?.reply_code ?? 0
            let text = close?.reply_text.text ?? ""
            if let handle {
                var closeOK = amqp_connection_close_ok_t()
                _ = amqp_send_method(handle, 0, AMQP_CONNECTION_CLOSE_OK_METHOD, &closeOK)
            }
            return fail(AMQPError(
                .connectionClosed(code: code, text: text),
                "\(context): the broker closed the connection: \(code) \(text)", file: file, line: line))
        default:
            return nil
        }
    }

    /// Marks a channel closed by the broker; a consumer loop on it learns through
    /// `consumeMessage`.
    func channelClosedByBroker(_ id: UInt16, _ error: AMQPError) {
        events.removeDeliveries(channel: id)
        guard let state = channels[id] else { return }
        state.isOpen = false
        state.closeError = error
        if !state.consumers.isEmpty {
            state.consumers.removeAll()
            events.append(.failure(error))
        }
    }

    /// Handles the frames librabbitmq queued while it waited for something else (an RPC
    /// reply, a message body). Does not read the socket.
    func drainQueuedFrames(_ handle: amqp_connection_state_t) throws {
        while amqp_frames_enqueued(handle) != 0 {
            var frame = amqp_frame_t()
            var immediately = timeval(tv_sec: 0, tv_usec: 0)
            let status = amqp_simple_wait_frame_noblock(handle, &frame, &immediately)
            guard status == Status.ok else {
                throw statusError(status, "reading a queued frame")
            }
            try handleFrame(handle, frame)
        }
    }

    /// Reads and handles one frame (queued ones first). Returns false if none arrived before
    /// `deadline` (nil: wait forever). A passed deadline still polls once. Heartbeats are
    /// sent and checked inside the wait.
    func pumpOne(_ handle: amqp_connection_state_t, until deadline: ContinuousClock.Instant?) throws -> Bool {
        amqp_maybe_release_buffers(handle)
        var frame = amqp_frame_t()
        let status: Int32
        if let deadline {
            var remaining = timeval(deadline - ContinuousClock.now)
            status = amqp_simple_wait_frame_noblock(handle, &frame, &remaining)
        } else {
            status = amqp_simple_wait_frame_noblock(handle, &frame, nil)
        }
        if status == Status.timeout { return false }
        guard status == Status.ok else {
            throw statusError(status, "waiting for the broker")
        }
        try handleFrame(handle, frame)
        return true
    }

    /// Dispatches one frame. Throws only when the connection is lost.
    func handleFrame(_ handle: amqp_connection_state_t, _ frame: amqp_frame_t) throws {
        // Content frames only follow a method and are read with it (amqp_read_message).
        guard frame.frame_type == UInt8(AMQP_FRAME_METHOD) else { return }
        let channel = frame.channel
        let method = frame.payload.method
        switch method.id {
        case AMQP_BASIC_DELIVER_METHOD:
            guard let deliver = Decode.method(method, as: amqp_basic_deliver_t.self) else { return }
            let consumerTag = deliver.consumer_tag.text
            let deliveryTag = deliver.delivery_tag
            let redelivered = deliver.redelivered != 0
            let exchange = deliver.exchange.text
            let routingKey = deliver.routing_key.text
            guard let (properties, body) = try readContent(handle, channel: channel, context: "reading a delivery"),
                channels[channel]?.isOpen == true
            else { return }
            events.append(.delivery(AMQPDelivery(
                body: body, deliveryTag: deliveryTag, redelivered: redelivered, exchange: exchange,
                routingKey: routingKey, consumerTag: consumerTag, channel: channel, properties: properties)))

        case AMQP_BASIC_RETURN_METHOD:
            guard let returned = Decode.method(method, as: amqp_basic_return_t.self) else { return }
            let replyCode = returned.reply_code
            let replyText = returned.reply_text.text
            let exchange = returned.exchange.text
            let routingKey = returned.routing_key.text
            guard let (properties, body) = try readContent(handle, channel: channel, context: "reading a returned message")
            else { return }
            channels[channel]?.recordReturn(AMQPReturnedMessage(
                sequenceNumber: nil, replyCode: replyCode, replyText: replyText, exchange: exchange,
                routingKey: routingKey, properties: properties, body: body))

        case AMQP_BASIC_ACK_METHOD:
            if let ack = Decode.method(method, as: amqp_basic_ack_t.self) {
                channels[channel]?.settle(tag: ack.delivery_tag, multiple: ack.multiple != 0, acked: true)
            }

        case AMQP_BASIC_NACK_METHOD:
            if let nack = Decode.method(method, as: amqp_basic_nack_t.self) {
                channels[channel]?.settle(tag: nack.delivery_tag, multiple: nack.multiple != 0, acked: false)
            }

        case AMQP_BASIC_CANCEL_METHOD:
            guard let cancel = Decode.method(method, as: amqp_basic_cancel_t.self) else { return }
            let consumerTag = cancel.consumer_tag.text
            if cancel.nowait == 0 {
                var cancelOK = amqp_basic_cancel_ok_t(consumer_tag: cancel.consumer_tag)
                let status = amqp_send_method(handle, channel, AMQP_BASIC_CANCEL_OK_METHOD, &cancelOK)
                if status != Status.ok { throw statusError(status, "sending basic.cancel-ok") }
            }
            channels[channel]?.consumers.remove(consumerTag)
            events.append(.failure(AMQPError(
                .consumerCancelled(consumerTag: consumerTag),
                "the broker cancelled consumer \(consumerTag) on channel \(channel) (queue deleted or unavailable)")))

        case AMQP_CHANNEL_CLOSE_METHOD, AMQP_CONNECTION_CLOSE_METHOD:
            if let error = handleBrokerClose(method, channel: channel, context: "while reading frames"),
                case .connectionClosed = error.kind
            {
                throw error
            }

        case AMQP_CONNECTION_BLOCKED_METHOD:
            blocked = true

        case AMQP_CONNECTION_UNBLOCKED_METHOD:
            blocked = false

        case AMQP_CHANNEL_FLOW_METHOD:
            if let flow = Decode.method(method, as: amqp_channel_flow_t.self) {
                var flowOK = amqp_channel_flow_ok_t(active: flow.active)
                let status = amqp_send_method(handle, channel, AMQP_CHANNEL_FLOW_OK_METHOD, &flowOK)
                if status != Status.ok { throw statusError(status, "sending channel.flow-ok") }
            }

        default:
            // A late reply to an RPC whose wait ended, or a method with no meaning here.
            break
        }
    }

    /// Reads the header and body frames that follow a deliver/return/get-ok on `channel`,
    /// copies them, and frees librabbitmq's message. Nil when the broker closed the channel
    /// instead of sending the content.
    func readContent(
        _ handle: amqp_connection_state_t, channel: UInt16, context: String
    ) throws -> (AMQPMessageProperties, [UInt8])? {
        var message = amqp_message_t()
        let reply = amqp_read_message(handle, channel, &message, 0)
        switch reply.reply_type {
        case AMQP_RESPONSE_NORMAL:
            defer { amqp_destroy_message(&message) }
            return (Decode.properties(message.properties), message.body.byteArray)
        case AMQP_RESPONSE_SERVER_EXCEPTION:
            if let error = handleBrokerClose(reply.reply, channel: channel, context: context) {
                if case .connectionClosed = error.kind { throw error }
                return nil
            }
            throw fail(AMQPError(.protocolError, "\(context): unexpected method instead of message content"))
        default:
            throw statusError(reply.library_error, context)
        }
    }
}
