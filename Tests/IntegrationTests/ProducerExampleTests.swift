import Foundation
import JobHuntEvents
import JobHuntTesting
import MongoClient
import Testing

/// The example producer `deploy/producer/publish_example.py` against the real broker and the
/// real worker: what it publishes is applied, and what the broker does not take makes it fail.
@Suite(
    .enabled(if: serversAvailable && ProducerExample.available,
             "no servers, or no python3 with pika, PyYAML and jsonschema on $JOBHUNT_STATE/python (deploy/install.sh)"),
    .timeLimit(.minutes(2)))
struct ProducerExampleTests {
    let user = TestEvents.userA
    let userOID = ObjectID(hex: TestEvents.userA.hex)!

    @Test func whatItPublishesIsAppliedByTheWorker() async throws {
        let bed = try TestBed(retryWindowSeconds: 30)
        defer { bed.tearDown() }
        try bed.setUp()
        try bed.insertUsers([user])

        // Three postings, two matches, one interaction: a different count per type.
        let (status, output) = try await ProducerExample.run(bed, lines: (1...3).map {
            TestEvents.jobPosted(id: "j\($0)", time: "2026-11-24T10:00:00Z", externalID: "job-\($0)").body
        } + (1...2).map {
            TestEvents.match(id: "m\($0)", time: "2026-11-24T11:00:00Z", user: user, job: "job-\($0)", skillsMissing: ["Kubernetes"]).body
        } + [
            TestEvents.interaction(id: "i1", time: "2026-11-24T12:00:00Z", user: user, job: "job-1", type: .viewed).body,
        ])
        #expect(status == 0, "\(output)")
        #expect(output.contains("published 6 of 6 events to \(bed.configuration.exchange)"))
        // Routed by the document's routing keys, each message to its type's work queue. The worker
        // dispatches on `type`, so it would apply a message from the wrong queue: only the counts
        // per queue (all different) show a wrong routing key.
        #expect(try bed.messageCount(bed.topology.queue(for: .jobPosted)) == 3)
        #expect(try bed.messageCount(bed.topology.queue(for: .matchComputed)) == 2)
        #expect(try bed.messageCount(bed.topology.queue(for: .interactionRecorded)) == 1)

        let worker = WorkerProcess(arguments: ["run"], environment: bed.environment)
        try worker.start()
        let database = bed.database
        let userFilter: BSONDocument = ["user_id": .objectID(userOID)]
        try await waitUntil { try database.collection("jobs").countDocuments() == 3 }
        try await waitUntil { try database.collection("job_matches").countDocuments(filter: userFilter) == 2 }
        try await waitUntil { try database.collection("user_job_interactions").countDocuments(filter: userFilter) == 1 }
        try await waitUntil {
            let stats = try database.collection("user_stats").findOne(filter: userFilter)
            return stats?["jobs_viewed"]?.intValue == 1 && stats?["top_missing_skill"] == .string("Kubernetes")
        }
        worker.signal(SIGTERM)
        let exit = try await worker.waitForExit()
        #expect(exit.status == 0, "\(exit.output.suffix(2000))")
        #expect(try bed.deadLetters().isEmpty)
    }

    @Test func anUnroutableMessageMakesItExit1NamingTheProblem() async throws {
        let bed = try TestBed()
        defer { bed.tearDown() }  // deletes the bed's exchange too
        // The bed's exchange, but bare: no queue bound, so a mandatory message comes back.
        try bed.openChannel().declareExchange(name: bed.configuration.exchange, type: "topic")

        let (status, output) = try await ProducerExample.run(bed, lines: [TestEvents.jobPosted(id: "j1").body])
        #expect(status == 1)
        #expect(output.contains("line 1 (event j1): unroutable: exchange '\(bed.configuration.exchange)' has no queue bound for routing key 'job.posted'"), "\(output)")
        #expect(!output.contains("Traceback"))
    }

    @Test func anInvalidEventIsNotPublished() async throws {
        let bed = try TestBed()
        defer { bed.tearDown() }
        try bed.setUp()
        let invalid = #"{"specversion":"1.0","id":"bad","source":"s","type":"JobPosted","time":"2026-11-24T10:00:00Z","data":{"title":"t"}}"#
        let (status, output) = try await ProducerExample.run(bed, lines: [Array(invalid.utf8), TestEvents.jobPosted(id: "j1").body])
        #expect(status == 1)
        #expect(output.contains("line 1 (event bad): rejected:"), "\(output)")
        #expect(output.contains("external_id"))
        #expect(output.contains("published 1 of 2 events"))
        #expect(try bed.messageCount(bed.topology.queue(for: .jobPosted)) == 1)
    }
}

/// Runs the example producer with the machine's `python3` and the tools deploy/install.sh put in
/// `$JOBHUNT_STATE/python`.
enum ProducerExample {
    static let script: String? = ProcessInfo.processInfo.environment["JOBHUNT_ROOT"].map { "\($0)/deploy/producer/publish_example.py" }
    static let pythonPath: String? = ProcessInfo.processInfo.environment["JOBHUNT_STATE"].map { "\($0)/python" }

    /// Whether the script is there and its libraries import.
    static let available: Bool = {
        guard let script, FileManager.default.fileExists(atPath: script), let pythonPath else { return false }
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONPATH"] = pythonPath
        return (try? runPython(["-c", "import pika, yaml, jsonschema, referencing"], environment: environment).status) == 0
    }()

    /// Writes `lines` to a JSON-lines file, runs the script on it with the bed's broker and
    /// exchange, and returns its exit status and everything it printed.
    static func run(_ bed: TestBed, lines: [[UInt8]]) async throws -> (status: Int32, output: String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("producer-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(Array(lines.joined(separator: [0x0A])) + [0x0A]).write(to: file)
        var environment = bed.environment
        environment["PYTHONPATH"] = pythonPath
        let arguments = [script ?? "", file.path]
        return try await onOwnThread { [environment] in try runPython(arguments, environment: environment) }
    }

    /// Output goes to a file, not a pipe (a pipe nobody reads while it waits could fill up).
    private static func runPython(_ arguments: [String], environment: [String: String]) throws -> (status: Int32, output: String) {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("producer-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(at: output) }
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.environment = environment
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: (try? Data(contentsOf: output)) ?? Data(), as: UTF8.self))
    }
}
