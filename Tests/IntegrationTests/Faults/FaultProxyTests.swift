import AMQPClient
import Foundation
import JobHuntTesting
import MongoClient
import Testing

/// The proxy against an echo server of the test's own: no external server needed.
@Suite(.timeLimit(.minutes(1)))
struct FaultProxyTests {
    @Test func bytesPassBothWaysUnchangedAndEndOfStreamFollowsThem() async throws {
        let echo = try EchoServer()
        defer { echo.close() }
        let proxy = try FaultProxy(targetPort: echo.port)
        defer { proxy.close() }
        let client = try TestClient(port: proxy.port)
        let sent = randomBytes(4 << 20)

        async let received = onOwnThread { client.read(sent.count + 1, within: .seconds(10)) }
        try await onOwnThread {
            try client.send(sent)
            client.shutdownWrite()  // the echo server closes after it; that must come back too
        }
        let (bytes, ending) = await received
        let same = sameBytes(bytes, sent)
        #expect(same, "\(bytes.count) of \(sent.count) bytes came back, or changed")
        #expect(ending == .endOfStream)
        #expect(proxy.acceptedCount == 1)
    }

    @Test func stalledConnectionsForwardNothingUntilResumedThenEverythingInOrder() async throws {
        let echo = try EchoServer()
        defer { echo.close() }
        let proxy = try FaultProxy(targetPort: echo.port)
        defer { proxy.close() }
        let existing = try TestClient(port: proxy.port)
        #expect(try await echoes(existing))

        proxy.stall()
        let new = try TestClient(port: proxy.port)
        let message = randomBytes(256 << 10)
        // Sends may block while stalled (kernel buffers fill); they finish after resume().
        async let existingSent: Void = onOwnThread { try existing.send(message) }
        async let newSent: Void = onOwnThread { try new.send(message) }
        async let existingSilence = onOwnThread { existing.read(1, within: .milliseconds(300)) }
        async let newSilence = onOwnThread { new.read(1, within: .milliseconds(300)) }
        #expect(await existingSilence == ([], .silence))
        #expect(await newSilence == ([], .silence))
        #expect(proxy.connectionCount == 2)

        proxy.resume()
        async let existingReceived = onOwnThread { existing.read(message.count, within: .seconds(10)) }
        async let newReceived = onOwnThread { new.read(message.count, within: .seconds(10)) }
        for (bytes, ending) in await [existingReceived, newReceived] {
            let same = sameBytes(bytes, message)
            #expect(ending == .complete)
            #expect(same, "\(bytes.count) of \(message.count) bytes came back, or changed or out of order")
        }
        try await existingSent
        try await newSent
    }

    @Test func cutResetsEveryConnectionAtOnceAndNewOnesStillWork() async throws {
        let echo = try EchoServer()
        defer { echo.close() }
        let proxy = try FaultProxy(targetPort: echo.port)
        defer { proxy.close() }
        let clients = try (0..<2).map { _ in try TestClient(port: proxy.port) }
        for client in clients { #expect(try await echoes(client)) }
        #expect(proxy.connectionCount == 2)

        proxy.cut()
        #expect(proxy.connectionCount == 0)
        for client in clients {
            let (bytes, ending) = await onOwnThread { client.read(1, within: .milliseconds(500)) }
            #expect(bytes.isEmpty)
            #expect(ending == .reset, "the connection was not reset at once")
        }

        let later = try TestClient(port: proxy.port)  // kept open until the counts are checked
        #expect(try await echoes(later))
        #expect(proxy.connectionCount == 1)
        #expect(proxy.acceptedCount == 3)
    }

    @Test func refusingClosesNewConnectionsAtOnceAndLeavesExistingOnes() async throws {
        let echo = try EchoServer()
        defer { echo.close() }
        let proxy = try FaultProxy(targetPort: echo.port)
        defer { proxy.close() }
        let existing = try TestClient(port: proxy.port)
        #expect(try await echoes(existing))

        proxy.refuse(true)
        let refused = try TestClient(port: proxy.port)  // the kernel completes the handshake
        let (bytes, ending) = await onOwnThread { refused.read(1, within: .milliseconds(500)) }
        #expect(bytes.isEmpty)
        #expect(ending == .reset, "a new connection was not reset at once")
        #expect(try await echoes(existing))
        #expect(proxy.connectionCount == 1)

        proxy.refuse(false)
        let later = try TestClient(port: proxy.port)
        #expect(try await echoes(later))
        #expect(proxy.connectionCount == 2)
        #expect(proxy.acceptedCount == 3)
    }

    @Test func closeResetsConnectionsAndStopsListening() async throws {
        let echo = try EchoServer()
        defer { echo.close() }
        let proxy = try FaultProxy(targetPort: echo.port)
        let client = try TestClient(port: proxy.port)
        #expect(try await echoes(client))

        proxy.close()
        let (_, ending) = await onOwnThread { client.read(1, within: .milliseconds(500)) }
        #expect(ending == .reset)
        #expect(throws: Socket.Failure.self) { try TestClient(port: proxy.port) }
        #expect(proxy.connectionCount == 0)
        proxy.close()  // again: nothing happens
    }
}

/// The proxy in front of the shared test servers, through their own clients.
@Suite(.enabled(if: serversAvailable), .timeLimit(.minutes(1)))
struct FaultProxyServerTests {
    @Test func amqpChannelOperationFailsAfterCut() async throws {
        let broker = try AMQPURL(TestServers.amqpURL!)
        let proxy = try FaultProxy(targetHost: broker.host, targetPort: broker.port)
        defer { proxy.close() }
        let url = AMQPURL(host: "127.0.0.1", port: proxy.port, user: broker.user, password: broker.password, vhost: broker.vhost)
        let channel = try await onOwnThread {
            let connection = try AMQPConnection(
                url: url, heartbeatSeconds: 0, connectTimeout: .seconds(5), clientName: "FaultProxyTests",
                rpcTimeout: .seconds(5))
            let channel = try connection.openChannel(1)
            try channel.declareQueue(name: "", durable: false, exclusive: true, autoDelete: true)
            return channel
        }
        defer { channel.connection.close() }
        #expect(proxy.connectionCount == 1)

        proxy.cut()
        await #expect(throws: AMQPError.self) {
            try await onOwnThread { try channel.declareQueue(name: "", durable: false, exclusive: true, autoDelete: true) }
        }
        #expect(!channel.connection.isOpen)
    }

    @Test func mongoOperationTimesOutWhileStalledAndWorksAfterResume() async throws {
        let (host, port) = try #require(firstHost(ofMongoURI: TestServers.mongoURI!))
        let proxy = try FaultProxy(targetHost: host, targetPort: port)
        defer { proxy.close() }
        // directConnection: see FaultProxy. Short timeouts, no retried read, and a server check
        // every 500 ms after the failure keep the test fast. Counting a missing collection
        // creates nothing.
        let pool = try MongoClientPool(
            uri: "mongodb://127.0.0.1:\(proxy.port)/?directConnection=true&serverSelectionTimeoutMS=2000"
                + "&connectTimeoutMS=2000&socketTimeoutMS=1000&retryReads=false&heartbeatFrequencyMS=500")
        defer { pool.close() }
        let collection = pool.database("faultproxy_\(ObjectID().hex)").collection("missing")
        #expect(try await onOwnThread { try collection.countDocuments() } == 0)

        proxy.stall()
        let start = ContinuousClock.now
        let error = await #expect(throws: MongoError.self) { try await onOwnThread { try collection.countDocuments() } }
        #expect(error?.kind == .network)
        // The 1 s socket timeout gave up, not the 5-minute default: a loose bound, since the
        // machine may be busy with other tests.
        #expect(ContinuousClock.now - start < .seconds(30))

        proxy.resume()
        #expect(try await onOwnThread { try collection.countDocuments() } == 0)
    }
}

/// Host and port of the first host in a `mongodb://` URI.
private func firstHost(ofMongoURI uri: String) -> (String, Int)? {
    let hosts = uri.dropFirst("mongodb://".count).prefix { $0 != "/" && $0 != "?" }
    let first = hosts.split(separator: ",").first ?? ""
    guard let colon = first.lastIndex(of: ":"), let port = Int(first[first.index(after: colon)...]) else {
        return first.isEmpty ? nil : (String(first), 27017)
    }
    return (String(first[..<colon]), port)
}

/// Sends a few random bytes and checks they come back.
private func echoes(_ client: TestClient) async throws -> Bool {
    let bytes = randomBytes(16)
    try await onOwnThread { try client.send(bytes) }
    return await onOwnThread { client.read(bytes.count, within: .seconds(5)) } == (bytes, .complete)
}

private func randomBytes(_ count: Int) -> [UInt8] {
    [UInt8](FileHandle(forReadingAtPath: "/dev/urandom")!.readData(ofLength: count))
}

/// Compares with `memcmp`: element by element, megabytes take long in a debug build. (Call it
/// outside `#expect`, which would print both arrays on failure.)
private func sameBytes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    a.count == b.count
        && a.withUnsafeBytes { a in b.withUnsafeBytes { b in a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 } }
}

/// A blocking client socket. Sends and reads give up after 10 s, so no test can hang on one.
private final class TestClient: Sendable {
    /// How a read ended: `count` bytes read, end-of-stream, reset, the time was up, another error.
    enum Ending: Equatable, Sendable { case complete, endOfStream, reset, silence, error(Int32) }

    private let fd: Int32

    init(port: Int) throws {
        var address = try Socket.ipv4Address(host: "127.0.0.1", port: port)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let code = errno
            Glibc.close(fd)
            throw Socket.Failure("connect", code)
        }
        // Set last: an initializer that throws after every property is set runs deinit, and
        // closing the descriptor twice could close another thread's socket that reused it.
        self.fd = fd
    }

    deinit { Glibc.close(fd) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw Socket.Failure("send", errno) }
            offset += count
        }
    }

    func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    /// Reads until `count` bytes came, the stream ended or failed, or `timeout` passed.
    func read(_ count: Int, within timeout: Duration) -> (bytes: [UInt8], ending: Ending) {
        let deadline = ContinuousClock.now + timeout
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while bytes.count < count {
            let left = deadline - ContinuousClock.now
            var request = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let milliseconds = max(0, Int32(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
            guard poll(&request, 1, milliseconds) > 0 else { return (bytes, .silence) }
            let received = recv(fd, &chunk, min(chunk.count, count - bytes.count), 0)
            if received == 0 { return (bytes, .endOfStream) }
            if received < 0 { return (bytes, errno == ECONNRESET ? .reset : .error(errno)) }
            bytes += chunk[..<received]
        }
        return (bytes, .complete)
    }
}

/// A TCP echo server on 127.0.0.1: one thread accepts, one thread per connection writes back
/// every byte it reads and closes the connection after its end-of-stream.
private final class EchoServer: Sendable {
    let port: Int
    private let listener: Int32

    init() throws {
        let listener = try Socket.listen()
        _ = fcntl(listener, F_SETFL, fcntl(listener, F_GETFL) & ~O_NONBLOCK)
        self.listener = listener
        port = Socket.localPort(listener)
        startThread(named: "EchoServer :\(port)") {
            while true {
                let connection = accept(listener, nil, nil)
                guard connection >= 0 else { break }  // close() shut the listener down
                _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
                startThread { Self.echo(connection) }
            }
            Glibc.close(listener)
        }
    }

    /// Stops accepting (connections in progress go on until their clients end them).
    func close() { shutdown(listener, Int32(SHUT_RDWR)) }

    private static func echo(_ connection: Int32) {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        reading: while true {
            let count = recv(connection, &chunk, chunk.count, 0)
            guard count > 0 else { break }
            var offset = 0
            while offset < count {
                let sent = chunk.withUnsafeBytes { Glibc.send(connection, $0.baseAddress! + offset, count - offset, Int32(MSG_NOSIGNAL)) }
                guard sent > 0 else { break reading }
                offset += sent
            }
        }
        Glibc.close(connection)
    }
}
