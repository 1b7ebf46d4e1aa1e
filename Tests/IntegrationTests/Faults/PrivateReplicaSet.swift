import Foundation
import JobHuntTesting

/// A MongoDB replica set of the test's own, one or three members, that it may stop, kill and
/// step down while the other tests keep the shared one (deploy/mongo-replset.sh).
final class PrivateReplicaSet: Sendable {
    /// The script, and the mongod and mongo-tool that deploy/install.sh installed.
    static var available: Bool {
        let environment = ProcessInfo.processInfo.environment
        return ChildProgram.deployScript("mongo-replset.sh") != nil
            && [environment["JOBHUNT_MONGOD"], environment["JOBHUNT_MONGO_TOOL"]].allSatisfy {
                $0.map { FileManager.default.isExecutableFile(atPath: $0) } ?? false
            }
    }

    let members: Int
    private let port: Int
    private let directory: String
    private let tlsDirectory: String?

    /// Every member, as a replica-set URI that fails fast while no member answers, asking
    /// for `w=majority` as the README recommends.
    var uri: String {
        let hosts = (0..<members).map { "127.0.0.1:\(port + $0)" }.joined(separator: ",")
        let tls = tlsDirectory.map { "&tls=true&tlsCAFile=\($0)/ca.pem&tlsCertificateKeyFile=\($0)/client.pem" } ?? ""
        return "mongodb://\(hosts)/?replicaSet=rs0&w=majority&serverSelectionTimeoutMS=2000\(tls)"
    }

    /// The port of member `member` (1-based).
    func memberPort(_ member: Int) -> Int { port + member - 1 }

    /// With `tlsDirectory` (the files of `TestCertificates`), members accept TLS only, from
    /// clients with a certificate; `uri` then carries the options to connect. Ports come from `TestPorts`.
    init(members: Int = 1, tlsDirectory: String? = nil) {
        self.members = members
        self.tlsDirectory = tlsDirectory
        port = TestPorts.replicaSet(tls: tlsDirectory != nil)
        // Short: the members put their unix sockets in it.
        directory = "/tmp/jh-rs-\(port)-\(UInt32.random(in: 0...UInt32.max))"
    }

    @discardableResult
    private func script(_ arguments: String...) throws -> String {
        try ChildProgram.run("/bin/bash", [ChildProgram.deployScript("mongo-replset.sh")!, "--dir", directory, "--port", "\(port)", "--members", "\(members)"]
            + (tlsDirectory.map { ["--tls-dir", $0] } ?? []) + arguments)
    }

    /// Starts every member, initiates the set once and waits for a primary.
    func start() throws { try script("start") }
    /// Stops every member (SIGTERM).
    func stop() throws { try script("stop") }
    /// SIGKILL of one member.
    func kill(member: Int) throws { try script("kill-member", "\(member)") }
    /// Starts one member again on its data.
    func start(member: Int) throws { try script("start-member", "\(member)") }
    /// The current primary steps down and another member is elected.
    func stepDown() throws { try script("stepdown") }
    /// The member (1-based) that is primary now.
    func primary() throws -> Int {
        guard let member = Int(try script("primary").trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw ChildProgramFailure(description: "mongo-replset.sh primary printed no member number")
        }
        return member
    }

    /// Stops everything and removes the data.
    func remove() {
        try? stop()
        try? FileManager.default.removeItem(atPath: directory)
        TestPorts.release(port)
    }
}
