#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CRabbitMQ

extension AMQPConnection {
    /// Waits until something can be read, at most `timeout` (rounded up to whole milliseconds),
    /// and says whether it can. Returns at once when a delivery, a frame or bytes are already
    /// buffered. It services nothing itself: follow it with `consumeMessage(timeout: .zero)`,
    /// which reads what is there without waiting (and sends a heartbeat when one is due).
    ///
    /// Use it for short waits: librabbitmq's own timeouts count whole milliseconds and spin
    /// through the last one, so a loop of `consumeMessage(timeout: .milliseconds(1))` burns a
    /// core; this wait sleeps in `poll(2)`. (With TLS, bytes OpenSSL has already decrypted are
    /// not seen here; the wait then simply runs to its timeout.)
    public func waitUntilReadable(timeout: Duration) throws -> Bool {
        let socket: Int32 = try lock.withLock { _ in
            let handle = try usableHandle()
            if !events.isEmpty || amqp_frames_enqueued(handle) != 0 || amqp_data_in_buffer(handle) != 0 { return -1 }
            return amqp_get_sockfd(handle)
        }
        if socket < 0 { return true }
        let (seconds, attoseconds) = timeout.components
        let milliseconds = max(0, min(Int64(Int32.max), seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000))
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, Int32(milliseconds)) > 0
    }
}
