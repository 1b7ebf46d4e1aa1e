import Foundation
import JobHuntEvents
import JobHuntTesting
import Testing

/// Contract §1: `run` started while the broker or the database is unreachable waits for them
/// (growing delays, a log line per attempt, never the password) and a SIGTERM meanwhile exits
/// 0 at once; the other commands fail at once with exit 1 and a clear message. (The fault
/// scenarios start `run` before the broker and before MongoDB with a whole workload.)
@Suite(.enabled(if: serversAvailable), .timeLimit(.minutes(3)))
struct StartupTests {
    private let password = "s3cret-startup-pw"

    /// A broker URL on a loopback port where nothing listens.
    private func unreachableBrokerURL() throws -> String {
        "amqp://jobhunt:\(password)@127.0.0.1:\(try unusedLoopbackPort())/%2f"
    }

    private func waitingAttempts(_ worker: WorkerProcess) -> Int {
        worker.outputSoFar.components(separatedBy: "unreachable; waiting").count - 1
    }

    @Test func runWaitsForAnUnreachableBrokerAndSigtermExitsZeroAtOnce() async throws {
        let bed = try TestBed()
        defer { bed.tearDown() }
        var environment = bed.environment
        environment["AMQP_URL"] = try unreachableBrokerURL()
        let worker = WorkerProcess(arguments: ["run"], environment: environment)
        try worker.start()
        // Delays of 1, 2, 4, 8 and 16 s: after the fifth failed attempt the worker waits 16 s.
        try await waitUntil(timeout: .seconds(60)) { self.waitingAttempts(worker) >= 5 }
        #expect(worker.process.isRunning)
        let signalled = ContinuousClock.now
        worker.signal(SIGTERM)
        let (status, output) = try await worker.waitForExit(timeout: .seconds(30))
        #expect(status == 0, "\(output)")
        #expect(ContinuousClock.now - signalled < .seconds(12), "the worker finished its 16 s wait before it exited")
        #expect(output.contains("attempt=5"), "the attempts are not numbered in the log")
        #expect(!output.contains(password), "the password reached the log")
    }

    @Test func aBrokerListIsTriedInOrderUntilANodeAnswers() async throws {
        let bed = try TestBed()
        defer { bed.tearDown() }
        var environment = bed.environment
        environment["AMQP_URL"] = "\(try unreachableBrokerURL()), \(bed.configuration.amqpURL)"
        let worker = WorkerProcess(arguments: ["run"], environment: environment)
        try worker.start()
        try await worker.waitUntilConsuming()
        try bed.publish([TestEvents.fullJobPosted(id: "e1", time: "2026-11-24T10:00:00Z", externalID: "job-1").body])
        try await waitUntil { try bed.database.collection("jobs").countDocuments() == 1 }
        worker.signal(SIGTERM)
        let (status, output) = try await worker.waitForExit()
        #expect(status == 0)
        #expect(!output.contains(password))
    }

    @Test(arguments: [["setup"], ["publish", "/dev/null"], ["dlq", "replay", "--all"]])
    func otherCommandsFailAtOnceWhenTheBrokerIsUnreachable(arguments: [String]) async throws {
        let bed = try TestBed()
        defer { bed.tearDown() }
        var environment = bed.environment
        environment["AMQP_URL"] = try unreachableBrokerURL()
        let command = WorkerProcess(arguments: arguments, environment: environment)
        try command.start()
        // A command that waited like `run` would still run after 60 s and be terminated by
        // SIGTERM (status 15); no timing is asserted, the machine may be busy with other tests.
        let (status, output) = try await command.waitForExit(timeout: .seconds(60))
        #expect(status == 1, "\(output)")
        #expect(output.contains("127.0.0.1"), "the message does not say which broker: \(output)")
        #expect(!output.contains(password))
        #expect(!output.contains("Stack dump"))
    }
}

extension StartupTests {
    /// The URLs are parsed when the configuration is validated: a bad one is a usage error at
    /// start (exit 64) naming its place in the list, never a connection failure later.
    @Test(arguments: [["run"], ["setup"], ["dlq", "stats"]])
    func aBadBrokerURLIsAUsageErrorAtStart(arguments: [String]) async throws {
        let bed = try TestBed()
        defer { bed.tearDown() }
        var environment = bed.environment
        environment["AMQP_URL"] = "\(bed.configuration.amqpURL),amqp://jobhunt:\(password)@127.0.0.1:notaport/%2f"
        let command = WorkerProcess(arguments: arguments, environment: environment)
        try command.start()
        let (status, output) = try await command.waitForExit(timeout: .seconds(60))
        #expect(status == 64, "\(output)")
        #expect(output.contains("URL 2 of 2"))
        #expect(!output.contains(password))
    }
}

/// A loopback TCP port that nothing listens on now (the kernel's choice, released at once).
func unusedLoopbackPort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw ConditionTimeout(description: "socket() failed") }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
            bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
        }
    }
    guard bound else { throw ConditionTimeout(description: "bind() failed") }
    return Int(UInt16(bigEndian: address.sin_port))
}
