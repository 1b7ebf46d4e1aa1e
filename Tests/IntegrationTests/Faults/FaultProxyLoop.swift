import Foundation

/// The proxy's thread: owns every socket and forwards bytes; between two `poll`s it carries out
/// the commands that arrived. Lives and dies on that one thread.
struct FaultProxyLoop {
    let listener: Int32
    let target: sockaddr_in
    let mailbox: FaultProxyMailbox
    private var pairs: [Pair] = []
    private var stalled = false
    private var refusing = false

    init(listener: Int32, target: sockaddr_in, mailbox: FaultProxyMailbox) {
        self.listener = listener
        self.target = target
        self.mailbox = mailbox
    }

    mutating func run() {
        var stops: [DispatchSemaphore] = []
        while stops.isEmpty {
            // While stalled, only the wake pipe and the listener are polled: the pairs sit
            // still, errors and end-of-stream included, until `resume()`.
            var fds = [Self.request(mailbox.wakeReader, POLLIN), Self.request(listener, POLLIN)]
            for pair in pairs {
                fds += stalled ? [Self.request(-1, 0), Self.request(-1, 0)] : pair.pollRequests
            }
            guard poll(&fds, nfds_t(fds.count), -1) >= 0 || errno == EINTR else { break }
            // The pairs first, the commands last: once `stall()` returns, nothing is forwarded.
            if !stalled {
                pairs = zip(pairs, 0...).filter { pair, index in
                    let outcome = pair.pump(client: fds[2 + 2 * index].revents, server: fds[3 + 2 * index].revents)
                    if outcome != .open { pair.close(reset: outcome == .failed) }
                    return outcome == .open
                }.map(\.0)
            }
            if fds[1].revents != 0 { acceptAll() }
            mailbox.setOpen(pairs.count)
            if fds[0].revents != 0 { stops = carryOutCommands() }
        }
        for pair in pairs { pair.close(reset: true) }
        Glibc.close(listener)
        mailbox.end()
        for done in stops { done.signal() }
    }

    /// Accepts every waiting connection and starts connecting it to the target (or resets it
    /// while refusing, or when the target cannot be reached).
    private mutating func acceptAll() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            Socket.configure(client)
            mailbox.countAccepted()
            if refusing {
                Socket.close(client, reset: true)
                continue
            }
            let server = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
            var address = target
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(server, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard server >= 0, connected == 0 || errno == EINPROGRESS else {
                Socket.close(client, reset: true)
                if server >= 0 { Socket.close(server, reset: true) }
                continue
            }
            pairs.append(Pair(client: client, server: server, connected: connected == 0))
        }
    }

    /// Carries out the commands that arrived and releases their callers; returns the callers
    /// of `stop`, released once everything is closed.
    private mutating func carryOutCommands() -> [DispatchSemaphore] {
        var stops: [DispatchSemaphore] = []
        var done: [DispatchSemaphore] = []
        for (command, caller) in mailbox.takeCommands() {
            switch command {
            case .cut:
                for pair in pairs { pair.close(reset: true) }
                pairs = []
            case .stall(let on): stalled = on
            case .refuse(let on): refusing = on
            case .stop:
                stops.append(caller)
                continue
            }
            done.append(caller)
        }
        mailbox.setOpen(pairs.count)
        for caller in done { caller.signal() }
        return stops
    }

    static func request(_ fd: Int32, _ events: Int32) -> pollfd {
        pollfd(fd: fd, events: Int16(events), revents: 0)
    }
}

/// An accepted connection (`client`) and the proxy's connection to the target (`server`).
private final class Pair {
    enum Outcome { case open, finished, failed }

    let client: Int32
    let server: Int32
    /// Whether the non-blocking connect to the target has completed.
    private var connected: Bool
    private var upstream = Direction()  // client to server
    private var downstream = Direction()  // server to client

    init(client: Int32, server: Int32, connected: Bool) {
        (self.client, self.server, self.connected) = (client, server, connected)
    }

    /// What to wait for. A socket with nothing to do is left out (fd -1): a hung-up socket
    /// would otherwise wake `poll` again and again.
    var pollRequests: [pollfd] {
        var clientEvents: Int32 = 0
        var serverEvents: Int32 = 0
        if upstream.wantsToRead { clientEvents |= POLLIN }
        if downstream.wantsToWrite { clientEvents |= POLLOUT }
        if !connected {
            serverEvents = POLLOUT
        } else {
            if downstream.wantsToRead { serverEvents |= POLLIN }
            if upstream.wantsToWrite { serverEvents |= POLLOUT }
        }
        return [
            FaultProxyLoop.request(clientEvents == 0 ? -1 : client, clientEvents),
            FaultProxyLoop.request(serverEvents == 0 ? -1 : server, serverEvents),
        ]
    }

    /// Moves what `poll` said can be moved.
    func pump(client clientEvents: Int16, server serverEvents: Int16) -> Outcome {
        let trouble = Int16(POLLERR | POLLNVAL)
        if !connected && serverEvents != 0 {
            guard Socket.pendingError(server) == 0 else { return .failed }
            connected = true
        }
        let readable = Int16(POLLIN | POLLHUP | POLLERR)
        guard upstream.pump(from: client, to: server, readable: clientEvents & readable != 0, canWrite: connected),
              downstream.pump(from: server, to: client, readable: serverEvents & readable != 0, canWrite: true),
              (clientEvents | serverEvents) & trouble == 0
        else { return .failed }
        return upstream.isFinished && downstream.isFinished ? .finished : .open
    }

    /// Closes both sockets; `reset` makes both peers see a reset rather than an end-of-stream.
    func close(reset: Bool) {
        Socket.close(client, reset: reset)
        Socket.close(server, reset: reset)
    }
}

/// One direction of a pair: the bytes on their way and how far the source's end-of-stream got.
private struct Direction {
    private var queue = ByteQueue()
    /// The source sent its end-of-stream...
    private var sourceEnded = false
    /// ...and it was passed on (`shutdown`) after the queue drained.
    private(set) var isFinished = false

    var wantsToRead: Bool { !sourceEnded && !queue.isFull }
    var wantsToWrite: Bool { !queue.isEmpty }

    /// Reads once if `readable`, then writes what the destination takes. False on a socket error.
    mutating func pump(from source: Int32, to destination: Int32, readable: Bool, canWrite: Bool) -> Bool {
        if readable && wantsToRead {
            let count = queue.receive(from: source)
            if count == 0 { sourceEnded = true }
            if count < 0 && !Socket.wouldBlock { return false }
        }
        guard canWrite else { return true }
        if !queue.isEmpty && queue.send(to: destination) < 0 && !Socket.wouldBlock { return false }
        if sourceEnded && queue.isEmpty && !isFinished {
            shutdown(destination, Int32(SHUT_WR))
            isFinished = true
        }
        return true
    }
}

/// Bytes read from one socket and not yet written to the other, at most `capacity`: while full,
/// its source is not read, so the sender's kernel buffers fill and TCP slows the sender down.
private struct ByteQueue {
    static let capacity = 1 << 20
    private var storage: [UInt8] = []  // allocated on first use
    private var head = 0  // the next byte to send
    private var tail = 0  // the end of the bytes received

    var isEmpty: Bool { head == tail }
    var isFull: Bool { tail - head == Self.capacity }

    /// One `recv` into the free space; its result (0: end-of-stream, -1: see errno).
    mutating func receive(from socket: Int32) -> Int {
        if storage.isEmpty { storage = [UInt8](repeating: 0, count: Self.capacity) }
        if tail == Self.capacity { moveToFront() }
        let tail = self.tail
        let count = storage.withUnsafeMutableBytes { recv(socket, $0.baseAddress! + tail, Self.capacity - tail, 0) }
        self.tail += max(count, 0)
        return count
    }

    /// One `send` of the bytes waiting; its result (-1: see errno).
    mutating func send(to socket: Int32) -> Int {
        let (head, tail) = (self.head, self.tail)
        let count = storage.withUnsafeBytes { Glibc.send(socket, $0.baseAddress! + head, tail - head, Int32(MSG_NOSIGNAL)) }
        self.head += max(count, 0)
        if self.head == self.tail { (self.head, self.tail) = (0, 0) }
        return count
    }

    /// Moves the waiting bytes to the start of the storage, making room after them.
    private mutating func moveToFront() {
        let (head, tail) = (self.head, self.tail)
        storage.withUnsafeMutableBytes { _ = memmove($0.baseAddress!, $0.baseAddress! + head, tail - head) }
        (self.head, self.tail) = (0, tail - head)
    }
}

/// The few socket calls the proxy and its tests share.
enum Socket {
    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(description: String) { self.description = description }
        init(_ call: String, _ code: Int32) { description = "\(call): \(String(cString: strerror(code)))" }
    }

    static var wouldBlock: Bool { errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR }

    /// Makes `fd` non-blocking and closed in child processes (`accept4` and `pipe2` are not
    /// visible from Swift here): a socket a child inherited would outlive `cut()`.
    static func configure(_ fd: Int32) {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    }

    /// Closes `fd`; with `reset`, the peer sees a reset (`SO_LINGER` 0), not an end-of-stream.
    static func close(_ fd: Int32, reset: Bool) {
        if reset {
            var linger = linger(l_onoff: 1, l_linger: 0)
            _ = setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<linger>.size))
        }
        Glibc.close(fd)
    }

    /// The error a non-blocking connect ended with (0: connected).
    static func pendingError(_ fd: Int32) -> Int32 {
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        return getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 ? error : errno
    }

    /// The first IPv4 address of `host`, with `port`.
    static func ipv4Address(host: String, port: Int) throws -> sockaddr_in {
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &found)
        guard status == 0, let found else {
            throw Failure(description: "getaddrinfo \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(found) }
        var address = found.pointee.ai_addr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee }
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return address
    }

    /// A non-blocking socket listening on 127.0.0.1, on a port the system chose.
    static func listen() throws -> Int32 {
        var address = try ipv4Address(host: "127.0.0.1", port: 0)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure("socket", errno) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, Glibc.listen(fd, 128) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw Failure("bind/listen", code)
        }
        return fd
    }

    /// The local port `fd` is bound to.
    static func localPort(_ fd: Int32) -> Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
