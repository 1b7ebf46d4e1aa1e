/// A `HOST:PORT` to listen on (`JOBHUNT_HTTP_ADDR`). The host is a name or an IPv4 address, an
/// IPv6 address in brackets (`[::1]:9464`), or empty for every interface (`:9464`); the port is
/// 1 to 65535. Parsed at configuration time, so that a typo is a usage error before anything runs.
public struct HTTPAddress: Sendable, Equatable, CustomStringConvertible {
    /// The host as given, brackets removed; empty: every interface.
    public let host: String
    public let port: UInt16

    /// `host` and `port` as they are (port 0: any free port, for tests).
    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// Parses `text`; the error says what is wrong with it.
    public init(_ text: String) throws(HTTPAddressError) {
        guard let colon = text.lastIndex(of: ":") else { throw HTTPAddressError("\(text) is not HOST:PORT") }
        var host = String(text[..<colon])
        let portText = text[text.index(after: colon)...]
        if host.hasPrefix("[") && host.hasSuffix("]") && host.count >= 2 {
            host = String(host.dropFirst().dropLast())
        } else if host.contains(":") {
            throw HTTPAddressError("\(text): an IPv6 host must be in brackets, as in [::1]:9464")
        }
        guard !portText.isEmpty, portText.allSatisfy(\.isASCII), portText.allSatisfy(\.isNumber),
            let port = UInt16(portText), port > 0
        else { throw HTTPAddressError("\(text): the port must be a number from 1 to 65535") }
        guard !host.contains(where: { $0.isWhitespace || "/[]@".contains($0) }) else {
            throw HTTPAddressError("\(text): not a host name or address")
        }
        self.host = host
        self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// A malformed `HOST:PORT`.
public struct HTTPAddressError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
