import Foundation

/// The real `jobhunt-worker` executable as a child process (path from JOBHUNT_WORKER_BINARY,
/// which deploy/test.sh sets; else the debug build in the package's `.build`).
public final class WorkerProcess {
    public let process = Process()
    /// Output goes to a file, not a pipe: a pipe nobody reads fills up and blocks the worker.
    private let outputPath = FileManager.default.temporaryDirectory
        .appendingPathComponent("jobhunt-worker-\(UUID().uuidString).log").path

    public static var binaryPath: String {
        if let path = ProcessInfo.processInfo.environment["JOBHUNT_WORKER_BINARY"] { return path }
        // Sources/JobHuntTesting/WorkerProcess.swift, three levels below the package root.
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return packageRoot.appendingPathComponent(".build/debug/jobhunt-worker").path
    }

    public init(arguments: [String], environment: [String: String]) {
        process.executableURL = URL(fileURLWithPath: Self.binaryPath)
        process.arguments = arguments
        process.environment = environment
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        let output = FileHandle(forWritingAtPath: outputPath)
        process.standardOutput = output
        process.standardError = output
    }

    /// A worker still running when its test ends (the test failed first) is killed, so that it
    /// does not outlive the test run.
    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(atPath: outputPath)
    }

    public func start() throws { try process.run() }

    public func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Everything printed so far.
    public var outputSoFar: String {
        String(decoding: FileManager.default.contents(atPath: outputPath) ?? Data(), as: UTF8.self)
    }

    /// Waits until the worker says it consumes (all its consumers are up).
    public func waitUntilConsuming(timeout: Duration = .seconds(30)) async throws {
        try await waitUntil(timeout: timeout) { self.outputSoFar.components(separatedBy: "consuming").count > 4 }
    }

    /// Waits for the exit (at most `timeout`) and returns the exit status and everything printed.
    public func waitForExit(timeout: Duration = .seconds(60)) async throws -> (status: Int32, output: String) {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        return (process.terminationStatus, outputSoFar)
    }
}
