import Foundation
import JobHuntTesting

/// A RabbitMQ of the test's own, one node or a 3-node cluster, that it may stop, kill and
/// restart while the other tests keep the shared node (deploy/rabbitmq-nodes.sh).
final class PrivateBroker: Sendable {
    static var available: Bool { ChildProgram.deployScript("rabbitmq-nodes.sh") != nil }

    let nodes: Int
    private let port: Int
    private let directory: String
    private let tlsDirectory: String?

    /// The nodes' URLs, comma-separated: the worker's `AMQP_URL`.
    var amqpURL: String { (1...nodes).map { url(node: $0) }.joined(separator: ",") }

    /// The URL of node `node` (1-based).
    func url(node: Int) -> String { "amqp://guest:guest@127.0.0.1:\(amqpPort(node: node))/%2f" }

    /// The AMQP port of node `node`.
    func amqpPort(node: Int) -> Int { port + node - 1 }

    /// The `amqps://` URL of node `node` by `host`. Needs `tlsDirectory`; the listener
    /// requires a client certificate.
    func tlsURL(node: Int = 1, host: String = "localhost") -> String { "amqps://guest:guest@\(host):\(amqpPort(node: node) + 50)/%2f" }

    /// With `tlsDirectory` (the files of `TestCertificates`), each node also listens for
    /// `amqps://` (`tlsURL`). Ports come from `TestPorts`.
    init(nodes: Int = 1, tlsDirectory: String? = nil) {
        self.nodes = nodes
        self.tlsDirectory = tlsDirectory
        port = TestPorts.brokerGroup(tls: tlsDirectory != nil)
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("jobhunt-rabbit-\(port)-\(UUID().uuidString)").path
    }

    private func script(_ arguments: String...) throws {
        try scriptOutput(arguments)
    }

    @discardableResult
    private func scriptOutput(_ arguments: [String]) throws -> String {
        try ChildProgram.run("/bin/bash", [ChildProgram.deployScript("rabbitmq-nodes.sh")!, "--dir", directory, "--port", "\(port)", "--nodes", "\(nodes)"]
            + (tlsDirectory.map { ["--tls-dir", $0] } ?? []) + arguments)
    }

    /// Starts every node that is not running and waits until all are ready.
    func start() throws { try script("start") }
    /// A clean stop of every node (`rabbitmqctl stop`).
    func stop() throws { try script("stop") }
    /// A clean stop of one node.
    func stop(node: Int) throws { try script("stop-node", "\(node)") }
    /// SIGKILL of one node's Erlang VM.
    func kill(node: Int) throws { try script("kill-node", "\(node)") }
    /// Starts one node again on its data and waits until it is ready.
    func start(node: Int) throws { try script("start-node", "\(node)") }
    /// Messages that the delay queues hold as dead letters not yet forwarded (counted in
    /// `messages`, neither ready nor unacknowledged), as node `node` sees them.
    func strandedInDelayQueues(node: Int) -> Int {
        queueReport(node: node).split(separator: "\n").reduce(0) { total, line in
            let fields = line.split(separator: "\t")
            guard fields.count >= 4, fields[0].contains(".delay."),
                let messages = Int(fields[1]), let ready = Int(fields[2]), let unacked = Int(fields[3])
            else { return total }
            return total + max(0, messages - ready - unacked)
        }
    }

    /// The queues as node `node` sees them: messages (dead-lettered ones a quorum queue still
    /// holds included), ready, unacknowledged, and the leader; for a failure's report.
    func queueReport(node: Int) -> String {
        (try? scriptOutput(["ctl", "\(node)", "-q", "list_queues", "name", "messages", "messages_ready", "messages_unacknowledged", "leader"]))
            ?? "(rabbitmqctl list_queues failed)"
    }

    /// Stops everything and removes the data.
    func remove() {
        try? stop()
        try? FileManager.default.removeItem(atPath: directory)
        TestPorts.release(port)
    }
}
