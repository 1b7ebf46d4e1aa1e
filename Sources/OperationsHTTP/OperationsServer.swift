#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// The operations endpoints' HTTP server: `GET` of a few paths, one request per connection
/// (`Connection: close`), answered one at a time on a thread of its own.
///
/// Written by hand rather than taken from a framework: scrapes and probes are a few requests a
/// minute, and three fixed `GET`s need no router, keep-alive or async runtime. A framework would
/// add minutes to every CI build (Hummingbird) or an event loop beside the worker's threads, and
/// this way a port that cannot be bound is reported, with the system's reason, before the
/// worker starts. A client gets `ioTimeout` to send its request; a slow one cannot hold the
/// thread longer than that.
public final class OperationsServer: Sendable {
    /// The port bound (the one asked for, or the system's choice for port 0 in tests).
    public let port: UInt16
    private let listener: Int32
    private let closed = Atomic<Bool>(false)
    private let started = Atomic<Bool>(false)
    private let exited = DispatchSemaphore(value: 0)
    private static let ioTimeout = timeval(tv_sec: 2, tv_usec: 0)
    private static let requestLimit = 8 * 1024

    /// Binds and listens on `address`; throws, saying why, when that is not possible.
    public init(address: HTTPAddress) throws(OperationsServerError) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE
        var found: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(address.host.isEmpty ? nil : address.host, "\(address.port)", &hints, &found)
        guard status == 0, let first = found else {
            throw OperationsServerError("cannot listen on \(address): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(found) }
        let descriptor = socket(first.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw OperationsServerError("cannot listen on \(address): \(Self.lastError())") }
        var one: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard bind(descriptor, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0, listen(descriptor, 16) == 0 else {
            let reason = Self.lastError()
            Glibc.close(descriptor)
            throw OperationsServerError("cannot listen on \(address): \(reason)")
        }
        var bound = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &bound) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) } }
        let family = Int32(bound.ss_family)
        let port = withUnsafePointer(to: &bound) { pointer -> UInt16 in
            if family == AF_INET6 {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
        }
        self.listener = descriptor
        self.port = port
    }

    /// Starts answering on a thread of its own: `respond` gets the path of each `GET` (query
    /// removed) and returns the response. Later calls do nothing.
    public func start(_ respond: @escaping @Sendable (_ path: String) -> HTTPResponse) {
        guard !started.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let thread = Thread { [self] in
            while !closed.load(ordering: .acquiring) {
                let connection = accept(listener, nil, nil)
                if connection >= 0 { _ = fcntl(connection, F_SETFD, FD_CLOEXEC) }
                if connection < 0 {
                    if errno == EINTR || errno == ECONNABORTED || errno == EMFILE || errno == ENFILE { continue }
                    break
                }
                answer(connection, respond)
            }
            exited.signal()
        }
        thread.name = "operations-http"
        thread.start()
    }

    /// Stops listening and waits for the thread (a request in progress is finished first).
    public func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        // Wakes the thread from accept(); it sees `closed` and exits.
        shutdown(listener, Int32(SHUT_RDWR))
        if started.load(ordering: .acquiring) { exited.wait() }
        Glibc.close(listener)
    }

    private func answer(_ connection: Int32, _ respond: (String) -> HTTPResponse) {
        defer { Glibc.close(connection) }
        var timeout = Self.ioTimeout
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(connection, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard let head = readHead(connection) else { return }
        let response = Self.response(toHead: head, respond)
        let bytes = response.bytes
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { return }
            sent += count
        }
        shutdown(connection, Int32(SHUT_WR))
    }

    /// The request's head (request line and headers), read until its blank line; nil when the
    /// client sends nothing usable in time.
    private func readHead(_ connection: Int32) -> [UInt8]? {
        var head: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while head.count < Self.requestLimit {
            let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return head.isEmpty ? nil : head }
            head += buffer[0..<count]
            if head.count >= 4, head.suffix(4) == [13, 10, 13, 10] { return head }
        }
        return head
    }

    /// The response to a request whose head is `head`: only `GET` with an origin-form path.
    static func response(toHead head: [UInt8], _ respond: (String) -> HTTPResponse) -> HTTPResponse {
        let line = head.prefix { $0 != 13 && $0 != 10 }
        let parts = String(decoding: line, as: UTF8.self).split(separator: " ")
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1."), parts[1].hasPrefix("/") else {
            return HTTPResponse(status: 400, body: "bad request\n")
        }
        guard parts[0] == "GET" else { return HTTPResponse(status: 405, body: "only GET\n") }
        let path = parts[1].prefix { $0 != "?" }
        return respond(String(path))
    }

    private static func lastError() -> String { String(cString: strerror(errno)) }
}

/// The endpoints cannot be served: the message says where and why.
public struct OperationsServerError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
