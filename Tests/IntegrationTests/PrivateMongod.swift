import Foundation

/// A single-node replica set of the test's own (its own port and data folder), for tests that
/// stop the database: the shared one must stay up for the tests running beside them.
/// Uses the mongod and mongo-tool that deploy/install.sh installed (JOBHUNT_MONGOD, JOBHUNT_MONGO_TOOL).
final class PrivateMongod: Sendable {
    static var available: Bool {
        let environment = ProcessInfo.processInfo.environment
        return [environment["JOBHUNT_MONGOD"], environment["JOBHUNT_MONGO_TOOL"]].allSatisfy {
            $0.map { FileManager.default.isExecutableFile(atPath: $0) } ?? false
        }
    }

    let port: Int
    private let directory: String

    var uri: String { "mongodb://127.0.0.1:\(port)/?replicaSet=rs0&serverSelectionTimeoutMS=2000" }

    init() throws {
        port = Int.random(in: 28_100...28_900)
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("jobhunt-mongod-\(port)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory + "/data", withIntermediateDirectories: true)
    }

    /// Starts mongod (on existing data, after a stop) and waits until it is a writable primary.
    func start() throws {
        let environment = ProcessInfo.processInfo.environment
        try Self.run(environment["JOBHUNT_MONGOD"]!, [
            "--dbpath", directory + "/data", "--bind_ip", "127.0.0.1", "--port", "\(port)", "--replSet", "rs0", "--fork",
            "--logpath", directory + "/mongod.log", "--pidfilepath", directory + "/mongod.pid", "--unixSocketPrefix", directory,
            "--wiredTigerCacheSizeGB", "0.25", "--oplogSize", "64", "--setParameter", "diagnosticDataCollectionEnabled=false",
        ])
        try Self.run(environment["JOBHUNT_MONGO_TOOL"]!, ["initiate", "127.0.0.1:\(port)"])
    }

    /// Stops mongod with SIGTERM and waits until it has exited.
    func stop() throws {
        guard let text = try? String(contentsOfFile: directory + "/mongod.pid", encoding: .utf8),
              let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { return }
        kill(pid, SIGTERM)
        for _ in 0..<300 where kill(pid, 0) == 0 { usleep(100_000) }
    }

    /// Stops it and removes its data.
    func remove() {
        try? stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    private static func run(_ executable: String, _ arguments: [String]) throws {
        try ChildProgram.run(executable, arguments)
    }
}
