/// An error from the AMQP client: a bad URL, a failed connection, a broker exception, or a
/// librabbitmq failure.
///
/// Messages never contain credentials: URLs appear only in their redacted form, and the
/// broker's reply texts (which name queues and exchanges, never passwords) are the only text
/// taken from outside. `description` is terse; `debugDescription` adds the library status and
/// the source location.
public struct AMQPError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What went wrong. New cases may be added; match with a `default`.
    public enum Kind: Sendable, Hashable {
        /// The AMQP URL could not be parsed.
        case invalidURL
        /// The connection could not be established (DNS, TCP, TLS, or the handshake).
        case connectionFailed
        /// The broker refused this client's TLS with a fatal alert (RFC 8446 §6.2), e.g.
        /// 116 certificate_required or 48 unknown_ca: it requires a client certificate, or does
        /// not trust the one given. Trying again does not help.
        case tlsRefused(alert: Int32)
        /// The socket failed or was closed underneath an established connection, including a
        /// missed heartbeat.
        case socket
        /// An operation did not finish in time.
        case timeout
        /// The broker closed the connection (`connection.close`), e.g. 320 CONNECTION_FORCED
        /// or 403 ACCESS_REFUSED at login. The connection is unusable.
        case connectionClosed(code: UInt16, text: String)
        /// The broker closed a channel (`channel.close`), e.g. 404 NOT_FOUND or
        /// 406 PRECONDITION_FAILED. The connection and its other channels stay usable; the
        /// channel's unacknowledged deliveries are requeued by the broker.
        case channelClosed(code: UInt16, text: String)
        /// The broker cancelled a consumer (`basic.cancel`), e.g. because its queue was deleted.
        case consumerCancelled(consumerTag: String)
        /// The broker sent something the protocol does not allow at this point.
        case protocolError
        /// librabbitmq reported a failure that has no more specific kind.
        case library(status: Int32)
        /// An argument cannot be sent (a table key over 255 bytes, an unsigned 64-bit value
        /// above `Int64.max`, a string with a NUL byte where a C string is needed).
        case invalidArgument
        /// The API was used out of order: a closed connection or channel, an unknown channel,
        /// waiting for confirms on a channel without confirm mode.
        case invalidUsage
    }

    /// What went wrong.
    public let kind: Kind
    /// A short human-readable explanation (no secrets).
    public let message: String
    /// The raw librabbitmq status (`amqp_status_enum`), when the error came from the library.
    public let libraryStatus: Int32?
    /// Where the error was raised.
    public let file: String
    /// Where the error was raised.
    public let line: Int

    /// Creates an error.
    public init(
        _ kind: Kind, _ message: String, libraryStatus: Int32? = nil,
        file: String = #fileID, line: Int = #line
    ) {
        self.kind = kind
        self.message = message
        self.libraryStatus = libraryStatus
        self.file = file
        self.line = line
    }

    /// The AMQP reply code of a broker-closed connection or channel.
    public var replyCode: UInt16? {
        switch kind {
        case .connectionClosed(let code, _), .channelClosed(let code, _): return code
        default: return nil
        }
    }

    /// Whether trying again (usually on a new connection) can succeed without anything being
    /// changed: network failures, timeouts, a broker that forced the connection closed or ran
    /// short of a resource, a cancelled consumer. Not: bad URLs or credentials, missing or
    /// mismatched topology, protocol errors, misuse.
    public var isRetriable: Bool {
        switch kind {
        case .socket, .timeout, .consumerCancelled:
            return true
        case .connectionFailed:
            // A certificate that does not verify will not verify next time either.
            return !AMQPError.tlsVerificationStatuses.contains(libraryStatus ?? 0)
        case .connectionClosed(let code, _):
            // 320 CONNECTION_FORCED (broker shutdown, an operator), 506 RESOURCE_ERROR,
            // 541 INTERNAL_ERROR. Not 403 ACCESS_REFUSED or 530 NOT_ALLOWED (credentials, vhost).
            return [320, 506, 541].contains(code)
        case .channelClosed(let code, _):
            // 405 RESOURCE_LOCKED (an exclusive queue held by a dying connection),
            // 506 RESOURCE_ERROR, 541 INTERNAL_ERROR, 320 in case a broker uses it here.
            return [320, 405, 506, 541].contains(code)
        case .invalidURL, .tlsRefused, .protocolError, .library, .invalidArgument, .invalidUsage:
            return false
        }
    }

    /// `AMQPError(kind): message`, without source location or library status.
    public var description: String {
        "AMQPError(\(kindName)): \(message)"
    }

    /// The description plus the library status and where the error was raised.
    public var debugDescription: String {
        var text = description
        if let libraryStatus {
            text += " [librabbitmq status \(libraryStatus)]"
        }
        text += " at \(file):\(line)"
        return text
    }

    private var kindName: String {
        switch kind {
        case .invalidURL: return "invalidURL"
        case .connectionFailed: return "connectionFailed"
        case .tlsRefused(let alert): return "tlsRefused \(alert)"
        case .socket: return "socket"
        case .timeout: return "timeout"
        case .connectionClosed(let code, _): return "connectionClosed \(code)"
        case .channelClosed(let code, _): return "channelClosed \(code)"
        case .consumerCancelled: return "consumerCancelled"
        case .protocolError: return "protocolError"
        case .library(let status): return "library \(status)"
        case .invalidArgument: return "invalidArgument"
        case .invalidUsage: return "invalidUsage"
        }
    }

    /// AMQP_STATUS_SSL_HOSTNAME_VERIFY_FAILED, AMQP_STATUS_SSL_PEER_VERIFY_FAILED.
    static let tlsVerificationStatuses: Set<Int32> = [-0x0201, -0x0202]
}
