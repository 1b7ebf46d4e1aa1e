import Foundation
import Synchronization

/// The loopback ports the tests' own servers take, handed out so that tests running at once
/// never share one. All lie below the ephemeral range (32768 up), so the kernel never gives
/// them to a client socket:
/// - private RabbitMQ groups: 20000-23999 (blocks of 200), with TLS 26000-26799;
/// - private replica sets: 24000-24999 (blocks of 10), with TLS 26800-26999;
/// - single servers (HTTP endpoints, Prometheus): 28000-31999.
///
/// A block is reserved in this process until released, and is skipped if something (another
/// process) already listens on its first port.
public enum TestPorts {
    private static let reserved = Mutex<Set<Int>>([])

    /// The base port of a RabbitMQ group: `port ... port + 130` (deploy/rabbitmq-nodes.sh).
    public static func brokerGroup(tls: Bool) -> Int {
        reserve(from: tls ? Array(stride(from: 26_000, to: 26_800, by: 200)) : Array(stride(from: 20_000, to: 24_000, by: 200)))
    }

    /// The base port of a replica set: one port per member, up to 3.
    public static func replicaSet(tls: Bool) -> Int {
        reserve(from: tls ? Array(stride(from: 26_800, to: 27_000, by: 10)) : Array(stride(from: 24_000, to: 25_000, by: 10)))
    }

    /// A single port for a server of the test's own.
    public static func single() -> Int { reserve(from: Array(28_000..<32_000)) }

    /// Gives `base` back once its servers are gone.
    public static func release(_ base: Int) { _ = reserved.withLock { $0.remove(base) } }

    /// A random candidate that no test holds and nothing listens on. Waits for one if all are
    /// taken (the suite never runs that many servers at once).
    private static func reserve(from candidates: [Int]) -> Int {
        while true {
            for base in candidates.shuffled() {
                let taken = reserved.withLock { held in
                    guard !held.contains(base) else { return true }
                    held.insert(base)
                    return false
                }
                if taken { continue }
                if canBind(base) { return base }
                release(base)
            }
            Thread.sleep(forTimeInterval: 0.5)
        }
    }

    /// Whether a socket can be bound to 127.0.0.1:`port` now.
    private static func canBind(_ port: Int) -> Bool {
        let handle = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard handle >= 0 else { return false }
        defer { close(handle) }
        var address = LoopbackAddress.make(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(handle, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}

/// 127.0.0.1:`port` as a socket address.
enum LoopbackAddress {
    static func make(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
