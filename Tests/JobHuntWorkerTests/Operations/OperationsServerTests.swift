import Foundation
import OperationsHTTP
import Testing

/// The hand-written HTTP server over a real loopback socket.
@Suite struct OperationsServerTests {
    /// The raw response to `request` sent to `port`.
    static func exchange(_ request: String, port: UInt16) throws -> String {
        let handle = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(handle) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(handle, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(connected == 0)
        _ = Array(request.utf8).withUnsafeBytes { send(handle, $0.baseAddress, $0.count, 0) }
        var reply: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(handle, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            reply += buffer[0..<count]
        }
        return String(decoding: reply, as: UTF8.self)
    }

    @Test func answersGETWithTheRoutesResponseAndClosesTheConnection() throws {
        let server = try OperationsServer(address: HTTPAddress(host: "127.0.0.1", port: 0))
        defer { server.close() }
        server.start { path in HTTPResponse(status: path == "/readyz" ? 503 : 200, body: "path \(path)") }
        let ready = try Self.exchange("GET /readyz?verbose=1 HTTP/1.1\r\nHost: x\r\n\r\n", port: server.port)
        #expect(ready.hasPrefix("HTTP/1.1 503 Service Unavailable\r\n"))
        #expect(ready.contains("Connection: close\r\n"))
        #expect(ready.hasSuffix("\r\n\r\npath /readyz"))
        #expect(try Self.exchange("GET /metrics HTTP/1.0\r\n\r\n", port: server.port).hasPrefix("HTTP/1.1 200 OK"))
        #expect(try Self.exchange("POST /metrics HTTP/1.1\r\n\r\n", port: server.port).hasPrefix("HTTP/1.1 405"))
        #expect(try Self.exchange("nonsense\r\n\r\n", port: server.port).hasPrefix("HTTP/1.1 400"))
    }

    @Test func aPortInUseIsAnErrorSayingWhy() throws {
        let first = try OperationsServer(address: HTTPAddress(host: "127.0.0.1", port: 0))
        defer { first.close() }
        #expect {
            _ = try OperationsServer(address: HTTPAddress("127.0.0.1:\(first.port)"))
        } throws: { error in
            "\(error)" == "cannot listen on 127.0.0.1:\(first.port): Address already in use"
        }
    }

    @Test func addressesParseOrSayWhatIsWrong() throws {
        #expect(try HTTPAddress("127.0.0.1:9464") == HTTPAddress("127.0.0.1:9464"))
        #expect(try HTTPAddress("[::1]:9464").host == "::1")
        #expect(try HTTPAddress(":9464").host == "")
        #expect(try HTTPAddress("localhost:80").port == 80)
        for bad in ["9464", "host:", "host:0", "host:65536", "host:12a", "::1:80", "a b:80", "host:+80"] {
            #expect(throws: HTTPAddressError.self, "\(bad)") { try HTTPAddress(bad) }
        }
    }
}
