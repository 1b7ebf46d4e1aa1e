import Foundation
import JobHuntEvents
import JobHuntStore
import JobHuntTesting
import JobHuntWorkload
import Testing

/// Exactness under crashes and concurrency: a mixed workload, worker processes killed with
/// SIGKILL at random moments or running side by side, and afterwards every collection equals
/// what the in-memory reference makes of the same workload.
@Suite(.enabled(if: serversAvailable), .timeLimit(.minutes(8)), .serialized)
struct CrashSafetyTests {
    private func workload(seed: UInt64) -> Workload {
        var spec = WorkloadSpec()
        spec.users = 300
        spec.jobs = 1_500
        spec.events = 10_000
        spec.seed = seed
        return Workload(spec)
    }

    /// Waits until the database holds `expected` and nothing is left to consume.
    private func waitForState(_ expected: ExpectedState, in bed: TestBed) async throws {
        try await waitUntil(timeout: .seconds(300), every: .seconds(1)) {
            try bed.messagesInFlight() == 0 && ExpectedState(of: bed.database) == expected
        }
    }

    /// Every invalid message has its dead letter (one per distinct body), and nothing else does.
    private func expectInvalidMessagesRecorded(_ workload: Workload, in bed: TestBed) throws {
        let invalidBodies = Set(workload.messages.filter { $0.event == nil }.map(\.body))
        let records = try bed.deadLetters()
        #expect(Set(records.map(\.id)) == Set(invalidBodies.map(DeadLetter.id(ofBody:))))
        #expect(records.allSatisfy { $0.reason == .schemaInvalid || $0.reason == .malformed })
    }

    @Test func sigkillAtRandomMomentsNeitherLosesNorDoublesAnything() async throws {
        let bed = try TestBed(retryWindowSeconds: 240, prefetch: 100)
        defer { bed.tearDown() }
        try bed.setUp()
        let workload = workload(seed: 7)
        let expected: ExpectedState = try await offThePool { () throws -> ExpectedState in
            try bed.insertUsers(workload.userIDs)
            try bed.publish(workload)
            return ExpectedState(of: workload)
        }

        var random = SplitMix64(seed: 2026)
        for _ in 0..<4 {
            let worker = WorkerProcess(arguments: ["run"], environment: bed.environment)
            try worker.start()
            try await Task.sleep(for: .milliseconds(Int.random(in: 800...3_000, using: &random)))
            worker.signal(SIGKILL)
            _ = try await worker.waitForExit()
        }
        let survivor = WorkerProcess(arguments: ["run"], environment: bed.environment)
        try survivor.start()
        do {
            try await waitForState(expected, in: bed)
        } catch {
            Issue.record("state differs:\n\(try ExpectedState(of: bed.database).differences(from: expected))")
        }
        survivor.signal(SIGTERM)
        #expect(try await survivor.waitForExit().status == 0)

        let final: ExpectedState = try await offThePool { () throws -> ExpectedState in try ExpectedState(of: bed.database) }
        #expect(final == expected)
        try expectInvalidMessagesRecorded(workload, in: bed)
        let check = WorkerProcess(arguments: ["stats", "rebuild", "--check"], environment: bed.environment)
        try check.start()
        let (status, output) = try await check.waitForExit()
        #expect(status == 0, "stats rebuild --check found drift:\n\(output)")
    }

    @Test func twoWorkersAtOnceGiveTheSameResult() async throws {
        let bed = try TestBed(retryWindowSeconds: 240, prefetch: 100)
        defer { bed.tearDown() }
        try bed.setUp()
        let workload = workload(seed: 11)
        let expected: ExpectedState = try await offThePool { () throws -> ExpectedState in
            try bed.insertUsers(workload.userIDs)
            try bed.publish(workload)
            return ExpectedState(of: workload)
        }

        let workers = (0..<2).map { _ in WorkerProcess(arguments: ["run"], environment: bed.environment) }
        for worker in workers { try worker.start() }
        do {
            try await waitForState(expected, in: bed)
        } catch {
            Issue.record("state differs:\n\(try ExpectedState(of: bed.database).differences(from: expected))")
        }
        for worker in workers { worker.signal(SIGTERM) }
        for worker in workers { #expect(try await worker.waitForExit().status == 0) }
        let final: ExpectedState = try await offThePool { () throws -> ExpectedState in try ExpectedState(of: bed.database) }
        #expect(final == expected)
        try expectInvalidMessagesRecorded(workload, in: bed)
    }
}
