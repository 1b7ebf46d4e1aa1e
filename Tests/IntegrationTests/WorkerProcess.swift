import Foundation

/// The real `jobhunt-worker` executable as a child process (path from JOBHUNT_WORKER_BINARY,
/// which deploy/test.sh sets; else the debug build next to the tests).
final class WorkerProcess {
    let process = Process()
    private let output = Pipe()

    static var binaryPath: String {
        if let path = ProcessInfo.processInfo.environment["JOBHUNT_WORKER_BINARY"] { return path }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return packageRoot.appendingPathComponent(".build/debug/jobhunt-worker").path
    }

    init(arguments: [String], environment: [String: String]) {
        process.executableURL = URL(fileURLWithPath: Self.binaryPath)
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = output
        process.standardError = output
    }

    func start() throws { try process.run() }

    func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits for the exit (at most `timeout`) and returns the exit status and everything printed.
    func waitForExit(timeout: Duration = .seconds(60)) async throws -> (status: Int32, output: String) {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (process.terminationStatus, text)
    }
}
