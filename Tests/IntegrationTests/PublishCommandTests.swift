import Foundation
import JobHuntTesting
import Testing

/// `jobhunt-worker publish`: validates each line, publishes the valid ones with confirms, and
/// says which lines were rejected and why.
@Suite(.enabled(if: serversAvailable), .timeLimit(.minutes(2)))
struct PublishCommandTests {
    @Test func validLinesArePublishedAndInvalidOnesReportedByLine() async throws {
        let bed = try TestBed()
        defer { bed.tearDown() }
        try bed.setUp()
        let lines = [
            String(decoding: TestEvents.fullJobPosted(id: "e1", time: "2026-11-24T10:00:00Z", externalID: "job-1").body, as: UTF8.self),
            #"{"specversion":"1.0","id":"bad","source":"s","type":"JobPosted","time":"2026-11-24T10:00:00Z","data":{"title":"t"}}"#,
            "",
            String(decoding: TestEvents.fullJobPosted(id: "e2", time: "2026-11-24T10:00:00Z", externalID: "job-2").body, as: UTF8.self),
        ]
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("publish-\(UUID().uuidString).jsonl")
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }

        let publish = WorkerProcess(arguments: ["publish", file.path], environment: bed.environment)
        try publish.start()
        let (status, output) = try await publish.waitForExit()
        #expect(status == 1)
        #expect(output.contains("line 2 (event bad): rejected: schema_invalid"))
        #expect(output.contains("external_id"))
        #expect(output.contains("published 2 of 3 events"))
        #expect(try bed.messageCount(bed.topology.queue(for: .jobPosted)) == 2)
    }

    @Test func aMissingFileIsAUsageErrorAndASecretNeverShows() async throws {
        let bed = try TestBed()
        defer { bed.tearDown() }
        var environment = bed.environment
        environment["AMQP_URL"] = "amqp://worker:s3cr3t-pw@127.0.0.1:1/%2f"
        let missing = WorkerProcess(arguments: ["publish", "/nonexistent/events.jsonl"], environment: environment)
        try missing.start()
        let (status, output) = try await missing.waitForExit()
        #expect(status == 64)
        #expect(output.contains("cannot read /nonexistent/events.jsonl"))

        let file = FileManager.default.temporaryDirectory.appendingPathComponent("publish-\(UUID().uuidString).jsonl")
        try TestEvents.fullJobPosted(id: "e1", time: "2026-11-24T10:00:00Z", externalID: "job-1").body.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let unreachable = WorkerProcess(arguments: ["publish", file.path], environment: environment)
        try unreachable.start()
        let (failure, message) = try await unreachable.waitForExit()
        #expect(failure == 1)
        #expect(!message.contains("s3cr3t-pw"))
        let help = WorkerProcess(arguments: ["run", "--help"], environment: environment)
        try help.start()
        #expect(try await !help.waitForExit().output.contains("s3cr3t-pw"))
    }
}

private extension Array where Element == UInt8 {
    func write(to url: URL) throws { try Data(self).write(to: url) }
}
