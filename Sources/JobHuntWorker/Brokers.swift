import AMQPClient
import Foundation
import Synchronization

/// The brokers of `AMQP_URL` (contract §1): one URL, or the nodes of one cluster separated by
/// commas. A connection goes to the first node that answers; a consumer whose node went away
/// starts the next search at the node after it, so it moves on instead of knocking on the
/// same dead node first each time.
public struct Brokers: Sendable, CustomStringConvertible {
    /// The nodes, in the order given.
    public let urls: [AMQPURL]
    /// Certificates for the `amqps://` nodes (the system trust store by default).
    public var tls = AMQPTLSConfiguration()

    /// Parses a comma-separated list of `amqp://` or `amqps://` URLs. The error names the
    /// position of a bad URL, never its password.
    public init(_ list: String) throws(ConfigurationError) {
        let parts = list.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        var urls: [AMQPURL] = []
        for (index, part) in parts.enumerated() {
            do {
                urls.append(try AMQPURL(part))
            } catch {
                let position = parts.count == 1 ? "" : " (URL \(index + 1) of \(parts.count))"
                throw ConfigurationError("AMQP_URL\(position): \((error as? AMQPError)?.message ?? "not a broker URL")")
            }
        }
        self.urls = urls
    }

    /// Connects to the first node that answers, trying them in order from `start` (wrapping
    /// around); returns the connection and its node's index. Throws the last node's error when
    /// none answers.
    public func connect(startingAt start: Int = 0, heartbeatSeconds: Int = 0) throws -> (connection: AMQPConnection, node: Int) {
        var offset = 0
        while true {
            let node = (start + offset) % urls.count
            do {
                return (try AMQPConnection(url: urls[node], heartbeatSeconds: heartbeatSeconds, tls: tls), node)
            } catch where offset + 1 < urls.count {
                offset += 1
            }
        }
    }

    /// The redacted URLs.
    public var description: String { urls.map(\.description).joined(separator: ",") }
}

/// Where a consumer's next connection starts looking: at the node after the one of its last
/// connection, which is the node that just went away when the consumer reconnects.
final class BrokerCursor: Sendable {
    private let brokers: Brokers
    private let nextNode = Atomic<Int>(0)

    init(_ brokers: Brokers) { self.brokers = brokers }

    /// Connects to the first node that answers, from the cursor on.
    func connect(heartbeatSeconds: Int) throws -> AMQPConnection {
        let (connection, node) = try brokers.connect(startingAt: nextNode.load(ordering: .relaxed), heartbeatSeconds: heartbeatSeconds)
        nextNode.store(node + 1, ordering: .relaxed)
        return connection
    }
}
