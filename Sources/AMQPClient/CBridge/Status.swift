#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CRabbitMQ

/// librabbitmq status codes and their mapping to `AMQPError`.
enum Status {
    static let ok = AMQP_STATUS_OK.rawValue
    static let timeout = AMQP_STATUS_TIMEOUT.rawValue

    /// librabbitmq's own text for a status (static strings, no data in them).
    static func text(_ status: Int32) -> String {
        String(cString: amqp_error_string2(status))
    }

    /// The error kind for a library status.
    static func kind(_ status: Int32) -> AMQPError.Kind {
        switch status {
        case AMQP_STATUS_SOCKET_ERROR.rawValue, AMQP_STATUS_CONNECTION_CLOSED.rawValue,
            AMQP_STATUS_SOCKET_CLOSED.rawValue, AMQP_STATUS_TCP_ERROR.rawValue,
            AMQP_STATUS_SSL_ERROR.rawValue, AMQP_STATUS_SSL_CONNECTION_FAILED.rawValue,
            AMQP_STATUS_HEARTBEAT_TIMEOUT.rawValue:
            return .socket
        case AMQP_STATUS_TIMEOUT.rawValue:
            return .timeout
        case AMQP_STATUS_BAD_AMQP_DATA.rawValue, AMQP_STATUS_UNKNOWN_CLASS.rawValue,
            AMQP_STATUS_UNKNOWN_METHOD.rawValue, AMQP_STATUS_UNEXPECTED_STATE.rawValue,
            AMQP_STATUS_WRONG_METHOD.rawValue, AMQP_STATUS_INCOMPATIBLE_AMQP_VERSION.rawValue:
            return .protocolError
        case AMQP_STATUS_HOSTNAME_RESOLUTION_FAILED.rawValue,
            AMQP_STATUS_SSL_HOSTNAME_VERIFY_FAILED.rawValue,
            AMQP_STATUS_SSL_PEER_VERIFY_FAILED.rawValue,
            AMQP_STATUS_BROKER_UNSUPPORTED_SASL_METHOD.rawValue:
            return .connectionFailed
        case AMQP_STATUS_TABLE_TOO_BIG.rawValue, AMQP_STATUS_INVALID_PARAMETER.rawValue:
            return .invalidArgument
        default:
            return .library(status: status)
        }
    }

    /// Whether the connection survives this status. Everything else leaves librabbitmq's
    /// socket closed or its state unknown.
    static func isRecoverable(_ status: Int32) -> Bool {
        status == AMQP_STATUS_TABLE_TOO_BIG.rawValue || status == AMQP_STATUS_INVALID_PARAMETER.rawValue
    }

    static func error(
        _ status: Int32, _ context: String, file: String = #fileID, line: Int = #line
    ) -> AMQPError {
        AMQPError(kind(status), "\(context): \(text(status))", libraryStatus: status, file: file, line: line)
    }
}

extension timeval {
    /// A non-negative `timeval` for a duration (negative durations become zero).
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        if seconds < 0 || (seconds == 0 && attoseconds < 0) {
            self.init(tv_sec: 0, tv_usec: 0)
        } else {
            self.init(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        }
    }
}
