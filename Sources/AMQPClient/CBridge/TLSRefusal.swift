import CRabbitMQ

/// A broker's refusal of this client's TLS: the fatal alert it sent when it did not accept
/// the client's certificate (none, untrusted, expired) or its TLS version. Unlike a connection
/// cut mid-handshake, asking again gets the same answer.
enum TLSRefusal {
    /// The alerts (RFC 8446 §6.2) that mean a refusal, and how a person would say each.
    private static let refusals: [Int32: String] = [
        40: "handshake failure", 42: "bad certificate", 43: "unsupported certificate",
        44: "certificate revoked", 45: "certificate expired", 46: "certificate unknown",
        48: "unknown CA", 49: "access denied", 70: "protocol version",
        71: "insufficient security", 116: "certificate required",
    ]

    /// Forgets earlier TLS errors of this thread; call before opening a connection.
    static func reset() { jobhunt_tls_clear_errors() }

    /// The refusal that made the last TLS call of this thread fail, if that is what happened.
    static func received() -> (alert: Int32, name: String)? {
        let alert = jobhunt_tls_alert_received()
        return refusals[alert].map { (alert, $0) }
    }
}
