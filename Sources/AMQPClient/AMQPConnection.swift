import CRabbitMQ
import Synchronization

/// One AMQP connection (librabbitmq's `amqp_connection_state_t`) and its channels.
///
/// ## Threading
/// librabbitmq connections are not thread-safe and every call blocks, so a connection is used
/// by one thread at a time: its owner's dedicated thread, never a thread of the Swift
/// concurrency pool (which has as few threads as cores). It may be handed from one thread to
/// another, but not used from two at once. That rule is why the class is
/// `@unchecked Sendable`. As a safety net every public method also takes an internal lock, so
/// an accidental concurrent call waits instead of corrupting librabbitmq's state; it does not
/// make sharing a good idea (a `consumeMessage` blocks everyone else until it returns).
///
/// ## Heartbeats and frames
/// librabbitmq services heartbeats only while a thread is inside one of its calls. A consumer
/// loop of `consumeMessage(timeout:)` keeps the connection alive however long it idles; work
/// between two calls must stay well under twice the heartbeat interval.
///
/// Every frame that arrives, whichever call reads it, is dispatched: deliveries queue up for
/// `consumeMessage`, publisher confirms and returns are recorded on their channel for
/// `AMQPChannel.waitForConfirms`, and a broker `channel.close` or `basic.cancel` is answered
/// and reported. So consuming and confirmed publishing may share a connection (on different
/// channels), though separate connections keep a slow consumer from delaying confirms.
///
/// ## Lifecycle
/// `close()` sends `connection.close` and frees the handle; it is idempotent. `deinit` frees
/// the handle if `close()` was not called. After a socket failure, a missed heartbeat or a
/// broker `connection.close`, every call throws that error: open a new connection.
public final class AMQPConnection: @unchecked Sendable {
    /// The broker URL (its `description` is redacted).
    public let url: AMQPURL
    /// The `connection_name` sent to the broker (shown in its management UI).
    public let clientName: String
    /// The heartbeat interval negotiated with the broker, in seconds (0: none).
    public let heartbeatSeconds: Int
    /// The negotiated maximum frame size.
    public let frameMax: Int
    /// The highest channel id the broker allows.
    public let channelMax: Int
    /// The broker's `server-properties` (product, version, capabilities, cluster name).
    public let serverProperties: AMQPTable

    /// Guards everything below. It holds no value itself: the state is librabbitmq's handle and
    /// what the frame machinery (`CBridge`) reads and writes beside it. Not reentrant.
    let lock = Mutex<Void>(())
    /// Nil once destroyed.
    var handle: amqp_connection_state_t?
    /// Set when the connection became unusable; every later call throws it.
    var failure: AMQPError?
    var channels: [UInt16: ChannelState] = [:]
    var events = EventQueue()
    var blocked = false
    let arena = Arena()

    /// Connects and logs in.
    ///
    /// - Parameters:
    ///   - url: The broker; `amqps` uses TLS configured by `tls`.
    ///   - heartbeatSeconds: Requested heartbeat interval; the broker may lower it. 0 disables.
    ///   - connectTimeout: Limit for the TCP connect, the TLS handshake and the login each.
    ///   - frameMax: Requested maximum frame size (at least 4096).
    ///   - clientName: The `connection_name` client property.
    ///   - rpcTimeout: Limit for each synchronous method (declare, bind, qos, consume, …);
    ///     librabbitmq closes the socket when it expires. Nil waits forever.
    ///   - tls: Certificate verification for `amqps`.
    /// - Throws: `AMQPError` (`.connectionFailed`, `.connectionClosed` with 403 for bad
    ///   credentials, …); messages show the URL redacted.
    public init(
        url: AMQPURL, heartbeatSeconds: Int = 30, connectTimeout: Duration = .seconds(10),
        frameMax: Int = 131_072, clientName: String = "jobhunt-worker",
        rpcTimeout: Duration? = .seconds(60), tls: AMQPTLSConfiguration = .init()
    ) throws {
        let opened = try Handshake.open(
            url: url, heartbeatSeconds: heartbeatSeconds, connectTimeout: connectTimeout,
            frameMax: frameMax, clientName: clientName, rpcTimeout: rpcTimeout, tls: tls)
        self.url = url
        self.clientName = clientName
        self.heartbeatSeconds = opened.heartbeatSeconds
        self.frameMax = opened.frameMax
        self.channelMax = opened.channelMax
        self.serverProperties = opened.serverProperties
        self.handle = opened.handle
    }

    deinit {
        if let handle {
            amqp_destroy_connection(handle)
        }
    }

    /// Whether the connection can still be used (not closed, no fatal error).
    public var isOpen: Bool {
        lock.withLock { _ in handle != nil && failure == nil }
    }

    /// Whether the broker said it is blocking publishers (`connection.blocked`, e.g. a memory
    /// or disk alarm). Updated whenever frames are read.
    public var isBlocked: Bool {
        lock.withLock { _ in blocked }
    }

    /// Opens channel `id` (1 through `channelMax`). A channel the broker closed can be opened
    /// again with the same id.
    public func openChannel(_ id: UInt16) throws -> AMQPChannel {
        try lock.withLock { _ in
            let handle = try usableHandle()
            guard id != 0, Int(id) <= channelMax else {
                throw AMQPError(.invalidArgument, "channel id \(id) is outside 1...\(channelMax)")
            }
            try drainQueuedFrames(handle)
            if let existing = channels[id], existing.isOpen {
                throw AMQPError(.invalidUsage, "channel \(id) is already open")
            }
            _ = try rpc(handle, channel: id, "channel.open") { amqp_channel_open(handle, id) }
            channels[id] = ChannelState()
            return AMQPChannel(connection: self, id: id)
        }
    }

    /// Waits up to `timeout` (nil: forever) for the next delivery on any channel of this
    /// connection and returns it, or nil when the time is up. Its body and properties are
    /// copies; acknowledge it on `AMQPChannel` number `delivery.channel`.
    ///
    /// Heartbeats are serviced while waiting. Other frames that arrive are handled on the way:
    /// confirms are recorded for `waitForConfirms`, a broker `channel.close` is answered.
    ///
    /// - Throws: `.consumerCancelled` when the broker cancels a consumer (queue deleted);
    ///   `.channelClosed` when the broker closes a channel that has consumers (deliveries of
    ///   that channel not yet returned are dropped: the broker requeues them);
    ///   `.connectionClosed`, `.socket` (including a missed heartbeat) when the connection is
    ///   lost.
    public func consumeMessage(timeout: Duration?) throws -> AMQPDelivery? {
        try lock.withLock { _ in
            let handle = try usableHandle()
            let deadline = timeout.map { ContinuousClock.now + $0 }
            try drainQueuedFrames(handle)
            while true {
                if let event = events.popFirst() {
                    switch event {
                    case .delivery(let delivery): return delivery
                    case .failure(let error): throw error
                    }
                }
                guard try pumpOne(handle, until: deadline) else { return nil }
            }
        }
    }

    /// Closes the connection: `connection.close` (waiting at most 5 seconds for the broker's
    /// reply), then frees the handle. Idempotent; after a fatal error it only frees the
    /// handle. Unacknowledged deliveries go back to their queues. A call running on another
    /// thread (a `consumeMessage`) finishes first.
    public func close() {
        lock.withLock { _ in
            guard let handle else { return }
            destroy(handle, sendingClose: failure == nil)
            self.handle = nil
            if failure == nil {
                failure = AMQPError(.invalidUsage, "the connection was closed by this client")
            }
            channels.removeAll()
            events.removeAll()
        }
    }
}
