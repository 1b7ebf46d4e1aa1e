import Foundation
import JobHuntTesting
import Synchronization

/// A TCP proxy on 127.0.0.1 that fault-injection tests put between a client (the worker, a
/// child process or in-process) and a server, to cut or stall the client's connections.
///
/// Every accepted connection is forwarded to the target, both ways, by one thread of the
/// proxy's own (non-blocking sockets and `poll`); nothing runs on Swift's cooperative pool.
/// An end-of-stream from one side is passed on (`shutdown`) once the bytes before it are;
/// a socket error on one side resets both.
///
/// Each control method returns once that thread has carried it out (it never waits on
/// anything but `poll`, so that is immediate): after `cut()` the peers have been reset,
/// after `stall()` no further byte is forwarded.
///
/// **MongoDB: use `directConnection=true`.** With `replicaSet=…` the driver asks the server
/// for the replica set's members and connects to their own addresses, bypassing the proxy.
/// Point the client at the proxy alone:
/// `mongodb://127.0.0.1:\(proxy.port)/?directConnection=true&serverSelectionTimeoutMS=2000`.
final class FaultProxy: Sendable {
    /// The port it listens on (127.0.0.1, chosen by the system).
    let port: Int
    private let mailbox: FaultProxyMailbox

    /// Starts listening and forwarding to `targetHost:targetPort` (an IPv4 address or a name
    /// that resolves to one; resolved once, here).
    init(targetHost: String = "127.0.0.1", targetPort: Int) throws {
        let target = try Socket.ipv4Address(host: targetHost, port: targetPort)
        let listener = try Socket.listen()
        port = Socket.localPort(listener)
        let mailbox: FaultProxyMailbox
        do {
            mailbox = try FaultProxyMailbox()
        } catch {
            Glibc.close(listener)
            throw error
        }
        self.mailbox = mailbox
        startThread(named: "FaultProxy :\(port) -> \(targetHost):\(targetPort)") {
            var loop = FaultProxyLoop(listener: listener, target: target, mailbox: mailbox)
            loop.run()
        }
    }

    deinit {
        close()
    }

    /// Resets every current connection pair at once (`SO_LINGER` 0: both peers see a reset,
    /// as on a network failure). Connections made afterwards are forwarded as usual.
    func cut() { mailbox.perform(.cut) }

    /// Stops forwarding, both ways, on existing and new connections; the sockets stay open
    /// and the peers see silence, as on a hung network (bytes pile up in kernel buffers).
    func stall() { mailbox.perform(.stall(true)) }

    /// Forwards again after `stall()`, starting with what piled up, nothing lost or reordered.
    func resume() { mailbox.perform(.stall(false)) }

    /// While on, new connections are accepted and reset at once, like a server that is down;
    /// existing ones go on (call `cut()` too for a full outage).
    func refuse(_ on: Bool) { mailbox.perform(.refuse(on)) }

    /// Connection pairs open now.
    var connectionCount: Int { mailbox.counts.open }

    /// Connections accepted since the start, refused ones included.
    var acceptedCount: Int { mailbox.counts.accepted }

    /// Stops listening, resets every connection and waits for the proxy's thread to end.
    /// Calling it again does nothing.
    func close() { mailbox.perform(.stop) }
}

/// What a control method asks of the proxy's thread.
enum FaultProxyCommand: Sendable {
    case cut, stall(Bool), refuse(Bool), stop
}

/// What the callers' threads and the proxy's thread share: the commands waiting to be carried
/// out, the counts, and the pipe that wakes the thread from `poll`.
final class FaultProxyMailbox: Sendable {
    private struct State {
        var commands: [(FaultProxyCommand, DispatchSemaphore)] = []
        /// Set by the thread as its last act; from then on commands return at once.
        var ended = false
        var open = 0
        var accepted = 0
    }

    private let state = Mutex(State())
    /// The thread polls this end; both ends are closed when it ends.
    let wakeReader: Int32
    private let wakeWriter: Int32

    init() throws {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw Socket.Failure("pipe", errno) }
        for end in ends { Socket.configure(end) }
        (wakeReader, wakeWriter) = (ends[0], ends[1])
    }

    /// Hands `command` to the thread and waits until it has been carried out.
    func perform(_ command: FaultProxyCommand) {
        let done = DispatchSemaphore(value: 0)
        let queued = state.withLock { state in
            guard !state.ended else { return false }
            state.commands.append((command, done))
            // Under the lock, so the pipe cannot be closed meanwhile. A full pipe (EAGAIN)
            // wakes the thread all the same.
            var byte: UInt8 = 1
            _ = write(wakeWriter, &byte, 1)
            return true
        }
        if queued { done.wait() }
    }

    /// The commands sent since the last call, after emptying the wake pipe.
    func takeCommands() -> [(FaultProxyCommand, DispatchSemaphore)] {
        var bytes = [UInt8](repeating: 0, count: 64)
        while read(wakeReader, &bytes, bytes.count) > 0 {}
        return state.withLock { state in
            defer { state.commands = [] }
            return state.commands
        }
    }

    var counts: (open: Int, accepted: Int) {
        state.withLock { ($0.open, $0.accepted) }
    }

    func setOpen(_ count: Int) { state.withLock { $0.open = count } }

    func countAccepted() { state.withLock { $0.accepted += 1 } }

    /// Called by the thread as it ends: closes the pipe and releases every caller still waiting.
    func end() {
        let waiting = state.withLock { state in
            state.ended = true
            state.open = 0
            Glibc.close(wakeReader)
            Glibc.close(wakeWriter)
            defer { state.commands = [] }
            return state.commands.map(\.1)
        }
        for done in waiting { done.signal() }
    }
}
