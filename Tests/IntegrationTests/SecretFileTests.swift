import Foundation
import JobHuntTesting
import Testing

/// Contract §1: `AMQP_URL_FILE` and `MONGODB_URI_FILE` (and the flags `--amqp-url-file`,
/// `--mongodb-uri-file`) name files holding the secret URLs, for the real executable.
@Suite(.enabled(if: serversAvailable), .timeLimit(.minutes(2)))
struct SecretFileStartupTests {
    /// Files holding `amqpURL` and `mongoURI`, each ending with a newline as mounted secrets do.
    private func secretFiles(_ bed: TestBed) throws -> (amqp: String, mongo: String, remove: () -> Void) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("secrets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let amqp = directory.appendingPathComponent("amqp_url")
        let mongo = directory.appendingPathComponent("mongodb_uri")
        try Data((bed.configuration.amqpURL + "\n").utf8).write(to: amqp)
        try Data((bed.configuration.mongoURI + "\n").utf8).write(to: mongo)
        return (amqp.path, mongo.path, { try? FileManager.default.removeItem(at: directory) })
    }

    /// The bed's environment without `AMQP_URL` and `MONGODB_URI`: left to the defaults, the
    /// worker would find no servers (nothing listens on 5672 and 27017 in the tests).
    private func environmentWithoutURLs(_ bed: TestBed) -> [String: String] {
        var environment = bed.environment
        environment["AMQP_URL"] = nil
        environment["MONGODB_URI"] = nil
        return environment
    }

    @Test func setupAndDeadLetterStatsReadTheURLsFromFiles() async throws {
        let bed = try TestBed()
        defer { bed.tearDown() }
        let files = try secretFiles(bed)
        defer { files.remove() }
        var environment = environmentWithoutURLs(bed)
        environment["AMQP_URL_FILE"] = files.amqp
        environment["MONGODB_URI_FILE"] = files.mongo

        let setup = WorkerProcess(arguments: ["setup"], environment: environment)
        try setup.start()
        let (status, output) = try await setup.waitForExit()
        #expect(status == 0, "\(output)")
        // The queues exist (a passive declaration of a missing queue throws) and so do the indexes.
        for queue in bed.topology.allQueues {
            #expect(try bed.messageCount(queue) == 0)
        }
        let jobIndexes = try bed.database.collection("jobs").listIndexes()
        #expect(jobIndexes.contains { $0.string("name") == "external_id_unique" })
        #expect(!output.contains(bed.configuration.amqpURL))

        let stats = WorkerProcess(arguments: ["dlq", "stats", "--json"], environment: environment)
        try stats.start()
        let (statsStatus, statsOutput) = try await stats.waitForExit()
        #expect(statsStatus == 0, "\(statsOutput)")
    }

    @Test func theFileFlagsWorkToo() async throws {
        let bed = try TestBed()
        defer { bed.tearDown() }
        let files = try secretFiles(bed)
        defer { files.remove() }
        let setup = WorkerProcess(
            arguments: ["setup", "--amqp-url-file", files.amqp, "--mongodb-uri-file", files.mongo],
            environment: environmentWithoutURLs(bed))
        try setup.start()
        let (status, output) = try await setup.waitForExit()
        #expect(status == 0, "\(output)")
        #expect(try bed.messageCount(bed.topology.queue(for: .jobPosted)) == 0)
    }

    @Test(arguments: [["run"], ["setup"], ["publish", "/dev/null"], ["dlq", "stats"], ["stats", "rebuild", "--check"]])
    func aMissingFileIsAUsageErrorNamingThePath(arguments: [String]) async throws {
        let bed = try TestBed()
        defer { bed.tearDown() }
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("missing-\(UUID().uuidString)/amqp_url").path
        var environment = environmentWithoutURLs(bed)
        environment["AMQP_URL_FILE"] = missing
        environment["MONGODB_URI"] = bed.configuration.mongoURI
        let command = WorkerProcess(arguments: arguments, environment: environment)
        try command.start()
        let (status, output) = try await command.waitForExit()
        #expect(status == 64, "\(output)")
        #expect(output.contains("AMQP_URL_FILE") && output.contains(missing), "\(output)")
        #expect(output.contains("No such file or directory"), "\(output)")
    }

    @Test func aURLAndItsFileTogetherAreAUsageErrorNamingBoth() async throws {
        let bed = try TestBed()
        defer { bed.tearDown() }
        let files = try secretFiles(bed)
        defer { files.remove() }
        var environment = bed.environment
        environment["MONGODB_URI_FILE"] = files.mongo
        let command = WorkerProcess(arguments: ["setup"], environment: environment)
        try command.start()
        let (status, output) = try await command.waitForExit()
        #expect(status == 64, "\(output)")
        #expect(output.contains("MONGODB_URI and MONGODB_URI_FILE"), "\(output)")
    }
}
