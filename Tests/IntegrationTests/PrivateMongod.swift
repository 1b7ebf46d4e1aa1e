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

    /// Runs a program to completion with posix_spawn and waitpid. (Foundation's Process waits
    /// for inherited descriptors too, which `mongod --fork` leaves to its daemon: it would hang.)
    private static func run(_ executable: String, _ arguments: [String]) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, executable, &actions, nil, argv, environ) == 0 else {
            throw ConditionTimeout(description: "cannot start \(executable)")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        guard status == 0 else {
            throw ConditionTimeout(description: "\(executable) \(arguments.first ?? "") failed (wait status \(status))")
        }
    }
}
