/// A parsed broker address: `amqp://user:password@host:port/vhost` or `amqps://…`.
///
/// Follows the RabbitMQ URI specification, with one deliberate difference: an empty path
/// (`amqp://host` and `amqp://host/`) means the vhost `/`, never the empty vhost.
/// - Default port 5672 (`amqp`) or 5671 (`amqps`); default user and password `guest`;
///   default host `localhost`.
/// - User, password and vhost are percent-decoded (`%2f` is `/`); an IPv6 host goes in
///   brackets (`amqp://[::1]:5672`).
/// - Query parameters and fragments are rejected rather than silently ignored.
///
/// `description`, `debugDescription` and the reflection mirror all show the redacted form,
/// so a password cannot reach a log through string interpolation or `dump`.
public struct AMQPURL: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// Whether the connection uses TLS (`amqps`).
    public var isTLS: Bool
    /// Host name or IP address (IPv6 without brackets).
    public var host: String
    /// TCP port.
    public var port: Int
    /// User name for SASL PLAIN.
    public var user: String
    /// Password for SASL PLAIN. Never printed.
    public var password: String
    /// Virtual host, decoded (`/` for the default vhost).
    public var vhost: String

    /// Creates a URL from its parts.
    public init(
        host: String, port: Int? = nil, user: String = "guest", password: String = "guest",
        vhost: String = "/", isTLS: Bool = false
    ) {
        self.isTLS = isTLS
        self.host = host
        self.port = port ?? (isTLS ? 5671 : 5672)
        self.user = user
        self.password = password
        self.vhost = vhost
    }

    /// Parses `amqp://` or `amqps://` URLs; throws `AMQPError` of kind `.invalidURL` with a
    /// message that never repeats the password.
    public init(_ string: String) throws {
        let bytes = Array(string.utf8)
        guard let schemeEnd = Self.find(Array("://".utf8), in: bytes[...]) else {
            throw Self.invalid("missing '://' after the scheme")
        }
        let scheme = String(decoding: bytes[..<schemeEnd], as: UTF8.self).lowercased()
        switch scheme {
        case "amqp": isTLS = false
        case "amqps": isTLS = true
        default:
            let shown = scheme.count <= 10 ? "'\(scheme)'" : "the scheme"
            throw Self.invalid("unsupported scheme \(shown): expected amqp or amqps")
        }
        let rest = bytes[(schemeEnd + 3)...]
        if rest.contains(UInt8(ascii: "?")) || rest.contains(UInt8(ascii: "#")) {
            throw Self.invalid(
                "query parameters and fragments are not supported (percent-encode '?' and '#' in credentials)"
            )
        }
        if rest.contains(where: { $0 <= 0x20 || $0 == 0x7F }) {
            throw Self.invalid("the URL contains whitespace or control characters")
        }

        let slash = rest.firstIndex(of: UInt8(ascii: "/"))
        let authority = rest[..<(slash ?? rest.endIndex)]
        let path = slash.map { rest[$0...] } ?? rest[rest.endIndex...]

        // userinfo@host:port; the last '@' separates, so an unencoded '@' in the password
        // still parses.
        var hostPort = authority
        user = "guest"
        password = "guest"
        if let at = authority.lastIndex(of: UInt8(ascii: "@")) {
            let userinfo = authority[..<at]
            hostPort = authority[(at + 1)...]
            if let colon = userinfo.firstIndex(of: UInt8(ascii: ":")) {
                user = try Self.percentDecode(userinfo[..<colon], component: "user")
                password = try Self.percentDecode(userinfo[(colon + 1)...], component: "password")
            } else {
                user = try Self.percentDecode(userinfo, component: "user")
            }
        }

        var portText: ArraySlice<UInt8>?
        if hostPort.first == UInt8(ascii: "[") {
            guard let close = hostPort.firstIndex(of: UInt8(ascii: "]")) else {
                throw Self.invalid("unterminated '[' in an IPv6 host")
            }
            host = String(decoding: hostPort[(hostPort.startIndex + 1)..<close], as: UTF8.self)
            let after = hostPort[(close + 1)...]
            if let first = after.first {
                guard first == UInt8(ascii: ":") else {
                    throw Self.invalid("unexpected characters after the IPv6 host")
                }
                portText = after.dropFirst()
            }
            if host.isEmpty { throw Self.invalid("empty IPv6 host") }
        } else if let colon = hostPort.firstIndex(of: UInt8(ascii: ":")) {
            host = String(decoding: hostPort[..<colon], as: UTF8.self)
            portText = hostPort[(colon + 1)...]
        } else {
            host = String(decoding: hostPort, as: UTF8.self)
        }
        if host.isEmpty { host = "localhost" }
        if host.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "[") || $0 == UInt8(ascii: "]") }) {
            throw Self.invalid("invalid characters in the host")
        }

        if let portText {
            guard !portText.isEmpty, portText.count <= 5,
                portText.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                let value = Int(String(decoding: portText, as: UTF8.self)), (1...65535).contains(value)
            else {
                throw Self.invalid("the port must be a number from 1 to 65535")
            }
            port = value
        } else {
            port = isTLS ? 5671 : 5672
        }

        if path.count <= 1 {
            vhost = "/"
        } else {
            let segment = path.dropFirst()
            if segment.contains(UInt8(ascii: "/")) {
                throw Self.invalid("the vhost must be one path segment: encode '/' as %2f")
            }
            vhost = try Self.percentDecode(segment, component: "vhost")
        }
    }

    /// The URL with the password replaced by `***`, safe for logs.
    public var redactedDescription: String {
        let hostText = host.contains(":") ? "[\(host)]" : host
        return "\(isTLS ? "amqps" : "amqp")://\(Self.percentEncode(user)):***@\(hostText):\(port)/\(Self.percentEncode(vhost))"
    }

    /// The redacted URL.
    public var description: String { redactedDescription }

    /// The redacted URL.
    public var debugDescription: String { redactedDescription }

    /// A mirror without the password, so `dump` and reflection-based printing stay safe.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "isTLS": isTLS, "host": host, "port": port, "user": user, "password": "***",
                "vhost": vhost,
            ],
            displayStyle: .struct
        )
    }

    // MARK: - Parsing helpers

    private static func invalid(_ message: String, file: String = #fileID, line: Int = #line) -> AMQPError {
        AMQPError(.invalidURL, "invalid AMQP URL: \(message)", file: file, line: line)
    }

    private static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var index = haystack.startIndex
        while index + needle.count <= haystack.endIndex {
            if haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    private static func percentDecode(_ bytes: ArraySlice<UInt8>, component: String) throws -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.endIndex, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
                else {
                    throw invalid("bad percent-encoding in the \(component)")
                }
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(byte)
                index += 1
            }
        }
        guard !out.contains(0) else {
            throw invalid("the \(component) contains a NUL byte")
        }
        guard let text = String(validating: out, as: UTF8.self) else {
            throw invalid("the \(component) is not valid UTF-8 after percent-decoding")
        }
        return text
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters.
    static func percentEncode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let digits = Array("0123456789abcdef".unicodeScalars)
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(digits[Int(byte >> 4)])
                out.unicodeScalars.append(digits[Int(byte & 0x0F)])
            }
        }
        return out
    }
}
