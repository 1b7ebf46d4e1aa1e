import Foundation
import Testing

/// Contract §8, the database side: mongod killed and restarted, the primary of a 3-member
/// replica set stepped down or killed (with `w=majority`), and a SIGTERM while the database is
/// down. Infrastructure failures are retried, never dead-lettered, and nothing is acked before
/// its effect is committed.
extension FaultScenarios {
@Suite(.enabled(if: serversAvailable && PrivateReplicaSet.available), .timeLimit(.minutes(6)))
struct DatabaseFaultTests {
    private func bed(on replicaSet: PrivateReplicaSet) throws -> TestBed {
        try TestBed(retryWindowSeconds: 600, deliveryLimit: 50, prefetch: 500, mongoURI: replicaSet.uri)
    }

    @Test func mongodKilledAndRestartedMidStream() async throws {
        let replicaSet = PrivateReplicaSet()
        defer { replicaSet.remove() }
        try await onOwnThread { try replicaSet.start() }
        let bed = try bed(on: replicaSet)
        defer { bed.tearDown() }
        let scenario = try await FaultScenario("mongod killed (SIGKILL) and restarted", bed: bed)
        try scenario.startWorker()
        try await scenario.waitUntilMidStream()
        try await onOwnThread { try replicaSet.kill(member: 1) }
        try await Task.sleep(for: .seconds(3))
        try await onOwnThread { try replicaSet.start(member: 1) }
        try await scenario.expectRecovered(faultEnded: .now)
    }

    @Test func sigtermWhileTheDatabaseIsDownExitsPromptlyAndLosesNothing() async throws {
        let replicaSet = PrivateReplicaSet()
        defer { replicaSet.remove() }
        try await onOwnThread { try replicaSet.start() }
        let bed = try bed(on: replicaSet)
        defer { bed.tearDown() }
        let scenario = try await FaultScenario("SIGTERM while the database is down", bed: bed)
        let first = try scenario.startWorker()
        try await scenario.waitUntilMidStream()
        try await onOwnThread { try replicaSet.kill(member: 1) }
        try await Task.sleep(for: .seconds(1))
        try await scenario.expectPromptExitOnSigterm(first)
        try await onOwnThread { try replicaSet.start(member: 1) }
        try scenario.startWorker()
        try await scenario.expectRecovered(faultEnded: .now)
    }

    @Test func primarySteppedDownMidStream() async throws {
        let replicaSet = PrivateReplicaSet(members: 3)
        defer { replicaSet.remove() }
        try await onOwnThread { try replicaSet.start() }
        let bed = try bed(on: replicaSet)
        defer { bed.tearDown() }
        let scenario = try await FaultScenario("primary stepped down", bed: bed)
        try scenario.startWorker()
        try await scenario.waitUntilMidStream()
        let before = try await onOwnThread { try replicaSet.primary() }
        try await onOwnThread { try replicaSet.stepDown() }
        #expect(try await onOwnThread { try replicaSet.primary() } != before)
        try await scenario.expectRecovered(faultEnded: .now)
    }

    @Test func primaryKilledMidStream() async throws {
        let replicaSet = PrivateReplicaSet(members: 3)
        defer { replicaSet.remove() }
        try await onOwnThread { try replicaSet.start() }
        let bed = try bed(on: replicaSet)
        defer { bed.tearDown() }
        let scenario = try await FaultScenario("primary killed (an election)", bed: bed)
        try scenario.startWorker()
        try await scenario.waitUntilMidStream()
        let primary = try await onOwnThread { try replicaSet.primary() }
        try await onOwnThread { try replicaSet.kill(member: primary) }
        let killed = ContinuousClock.now
        try await waitUntil(timeout: .seconds(60), every: .milliseconds(500)) {
            (try? replicaSet.primary()).map { $0 != primary } ?? false
        }
        try await scenario.expectRecovered(faultEnded: killed)
        try await onOwnThread { try replicaSet.start(member: primary) }
    }

    @Test func runStartedBeforeMongoDB() async throws {
        let replicaSet = PrivateReplicaSet()
        defer { replicaSet.remove() }
        try await onOwnThread { try replicaSet.start() }
        let bed = try bed(on: replicaSet)
        defer { bed.tearDown() }
        let scenario = try await FaultScenario("run started before MongoDB", bed: bed)
        try await onOwnThread { try replicaSet.stop() }
        let worker = try scenario.startWorker()
        try await waitUntil(timeout: .seconds(30)) { worker.outputSoFar.contains("unreachable; waiting") }
        try await onOwnThread { try replicaSet.start() }
        try await scenario.expectRecovered(faultEnded: .now)
    }
}
}
