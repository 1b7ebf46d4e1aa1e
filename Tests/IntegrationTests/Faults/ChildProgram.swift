import Foundation

/// Runs a program to completion with posix_spawn and waitpid and returns what it printed.
/// (Foundation's Process also waits for descriptors that daemons such as `mongod --fork` or a
/// RabbitMQ node inherit: it would hang.) Standard output goes through a file, standard error
/// to a second one that a failure quotes.
enum ChildProgram {
    /// `environment` replaces the test's own when given.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> String {
        let directory = FileManager.default.temporaryDirectory.path
        let outputPath = "\(directory)/jobhunt-child-\(UUID().uuidString).out"
        let errorPath = outputPath + ".err"
        defer {
            try? FileManager.default.removeItem(atPath: outputPath)
            try? FileManager.default.removeItem(atPath: errorPath)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer { envp?.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = envp.map { posix_spawn(&pid, executable, &actions, nil, argv, $0) } ?? posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw ChildProgramFailure(description: "cannot start \(executable)")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        guard status == 0 else {
            let errors = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
            throw ChildProgramFailure(description: """
                \(executable) \(arguments.joined(separator: " ")) failed (wait status \(status)):
                \(output.suffix(1500))\(errors.suffix(1500))
                """)
        }
        return output
    }

    /// A script of the repository's `deploy/` folder (JOBHUNT_ROOT, which deploy/env.sh exports).
    static func deployScript(_ name: String) -> String? {
        guard let root = ProcessInfo.processInfo.environment["JOBHUNT_ROOT"] else { return nil }
        let path = "\(root)/deploy/\(name)"
        return FileManager.default.isExecutableFile(atPath: path) || FileManager.default.fileExists(atPath: path) ? path : nil
    }
}

/// A child program that could not start or exited non-zero.
struct ChildProgramFailure: Error, CustomStringConvertible {
    let description: String
}
