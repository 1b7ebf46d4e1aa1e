import Foundation
import JobHuntEvents
import JobHuntTesting
import MongoClient
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The topology as an operator declares it centrally: `deploy/rabbitmq/definitions.json`
/// (policies in place of queue arguments) imported into a vhost of its own on the real broker,
/// and the worker with `JOBHUNT_TOPOLOGY=verify` finding it, routing retries through the delay
/// queues that the policies configure, and refusing to start when a queue is missing.
@Suite(.enabled(if: serversAvailable && ChildProgram.deployScript("services.sh") != nil), .timeLimit(.minutes(2)))
struct CentralTopologyTests {
    @Test func theDefinitionsFileIsATopologyTheWorkerRunsOnWithoutDeclaringIt() async throws {
        let services = try #require(ChildProgram.deployScript("services.sh"))
        let vhost = "jh-central-\(UInt32.random(in: 0..<UInt32.max))"
        let sharedURL = try #require(TestServers.amqpURL)
        #expect(sharedURL.hasSuffix("/%2f"), "the shared broker's URL names the default vhost")
        let bed = try TestBed(retryWindowSeconds: 120, amqpURL: String(sharedURL.dropLast(3)) + vhost)
        defer {
            bed.tearDown()
            _ = try? ChildProgram.run("/bin/bash", [services, "rabbitmqctl", "-q", "delete_vhost", vhost])
        }
        // The file as shipped, moved to the test's vhost and names (the header a delay binding
        // matches on, `jobhunt-delay`, is the worker's and stays).
        let root = URL(fileURLWithPath: services).deletingLastPathComponent()
        let shipped = try String(contentsOf: root.appendingPathComponent("rabbitmq/definitions.json"), encoding: .utf8)
        let prefix = bed.configuration.queuePrefix
        let definitions = shipped
            .replacingOccurrences(of: "\"vhost\": \"/\"", with: "\"vhost\": \"\(vhost)\"")
            .replacingOccurrences(of: "\"name\": \"/\"", with: "\"name\": \"\(vhost)\"")
            .replacingOccurrences(of: "\"jobhunt.", with: "\"\(prefix).")
            .replacingOccurrences(of: "\"^jobhunt\\\\.", with: "\"^\(prefix)\\\\.")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(vhost).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try definitions.write(to: file, atomically: true, encoding: .utf8)
        try ChildProgram.run("/bin/bash", [services, "rabbitmqctl", "-q", "import_definitions", file.path])
        try ChildProgram.run("/bin/bash", [services, "rabbitmqctl", "-q", "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"])

        var verify = bed.environment
        verify["JOBHUNT_TOPOLOGY"] = "verify"
        let setup = WorkerProcess(arguments: ["setup"], environment: verify)
        try setup.start()
        let (setupStatus, setupOutput) = try await setup.waitForExit()
        #expect(setupStatus == 0, "\(setupOutput)")

        // Declaring over it fails: the queues were created without the worker's arguments.
        let declare = WorkerProcess(arguments: ["setup"], environment: bed.environment)
        try declare.start()
        let (declareStatus, declareOutput) = try await declare.waitForExit()
        #expect(declareStatus == 1)
        #expect(declareOutput.contains("406") || declareOutput.contains("PRECONDITION_FAILED"), "\(declareOutput)")

        // A match before its job goes round the delay queues the policies configure.
        let user = ObjectIDHex(hex: "64b7f0c2a1b2c3d4e5f6cccc")!
        try bed.insertUsers([user])
        let worker = WorkerProcess(arguments: ["run"], environment: verify)
        try worker.start()
        try bed.publish([TestEvents.match(id: "m1", user: user, job: "job-late").body], routingKey: "match.computed")
        try await waitUntil { try bed.messagesWaitingForRetry() > 0 }
        try bed.publish([TestEvents.jobPosted(id: "j1", externalID: "job-late").body])
        try await waitUntil(timeout: .seconds(60)) { try bed.database.collection("job_matches").countDocuments() == 1 }
        worker.signal(SIGTERM)
        #expect(try await worker.waitForExit().status == 0)

        // A queue the operator forgot: `setup` says which, and exits 1.
        _ = try bed.openChannel().deleteQueue(name: "\(prefix).delay.60s")
        let missing = WorkerProcess(arguments: ["setup"], environment: verify)
        try missing.start()
        let (missingStatus, missingOutput) = try await missing.waitForExit()
        #expect(missingStatus == 1)
        #expect(missingOutput.contains("the queue \(prefix).delay.60s does not exist"), "\(missingOutput)")
    }
}
