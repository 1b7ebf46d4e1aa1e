import JobHuntStore
import JobHuntTesting

/// Runs `jobhunt-worker ARGUMENTS` (the built binary) against `bed`; its exit status and output.
func runCLI(_ arguments: [String], _ bed: TestBed) async throws -> (status: Int32, output: String) {
    let process = WorkerProcess(arguments: arguments, environment: bed.environment)
    try process.start()
    return try await process.waitForExit()
}

/// Records `count` distinct malformed messages (routing key `job.posted`) as failed at `now`
/// (ms), straight into the store, as a worker would; returns their ids.
@discardableResult
func recordDeadLetters(_ count: Int, in store: DeadLetterStore, now: Int64, tag: String = "x", size: Int? = nil) throws -> [String] {
    try (0..<count).map { index in
        var body = Array("{\"broken\": \"\(tag)-\(index)\"".utf8)
        if let size { body += [UInt8](repeating: UInt8(ascii: " "), count: max(0, size - body.count)) }
        return try store.record(DeadLetterFailure(
            eventID: nil, eventType: nil, reason: .malformed, detail: "truncated", queue: "q", routingKey: "job.posted",
            body: body, headers: [:], contentType: nil), now: now)
    }
}

let hourMilliseconds: Int64 = 3_600_000
let dayMilliseconds: Int64 = 86_400_000
