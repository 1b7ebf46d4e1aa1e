import Foundation
import JobHuntTesting
import Testing

/// Contract §8, the database side: mongod killed and restarted, the primary of a 3-member
/// replica set stepped down or killed (with `w=majority`), a SIGTERM while the database is
/// down, and `run` started before MongoDB. Infrastructure failures are retried, never
/// dead-lettered, and nothing is acked before its effect is committed.
extension FaultScenarios {
    @Suite(.enabled(if: serversAvailable && PrivateReplicaSet.available), .timeLimit(.minutes(6)))
    struct DatabaseFaultTests {
        @Test func mongodKilledAndRestartedMidStream() async throws {
            try await FaultScenario.onPrivateReplicaSet("mongod killed (SIGKILL) and restarted") { scenario, replicaSet in
                try scenario.startWorker()
                try await scenario.waitUntilMidStream()
                try await onOwnThread { try replicaSet.kill(member: 1) }
                try await Task.sleep(for: .seconds(3))
                try await onOwnThread { try replicaSet.start(member: 1) }
                try await scenario.expectRecovered(faultEnded: .now)
            }
        }

        @Test func sigtermWhileTheDatabaseIsDownExitsPromptlyAndLosesNothing() async throws {
            try await FaultScenario.onPrivateReplicaSet("SIGTERM while the database is down") { scenario, replicaSet in
                let first = try scenario.startWorker()
                try await scenario.waitUntilMidStream()
                try await onOwnThread { try replicaSet.kill(member: 1) }
                try await Task.sleep(for: .seconds(1))
                try await scenario.expectPromptExitOnSigterm(first)
                try await onOwnThread { try replicaSet.start(member: 1) }
                try scenario.startWorker()
                try await scenario.expectRecovered(faultEnded: .now)
            }
        }

        @Test func primarySteppedDownMidStream() async throws {
            try await FaultScenario.onPrivateReplicaSet("primary stepped down", members: 3) { scenario, replicaSet in
                try scenario.startWorker()
                try await scenario.waitUntilMidStream()
                let before = try await onOwnThread { try replicaSet.primary() }
                try await onOwnThread { try replicaSet.stepDown() }
                #expect(try await onOwnThread { try replicaSet.primary() } != before)
                try await scenario.expectRecovered(faultEnded: .now)
            }
        }

        @Test func primaryKilledMidStream() async throws {
            try await FaultScenario.onPrivateReplicaSet("primary killed (an election)", members: 3) { scenario, replicaSet in
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
        }

        @Test func runStartedBeforeMongoDB() async throws {
            try await FaultScenario.onPrivateReplicaSet("run started before MongoDB") { scenario, replicaSet in
                try await onOwnThread { try replicaSet.stop() }
                let worker = try scenario.startWorker()
                try await waitUntil(timeout: .seconds(30)) { worker.outputSoFar.contains("unreachable; waiting") }
                try await onOwnThread { try replicaSet.start() }
                try await scenario.expectRecovered(faultEnded: .now)
            }
        }
    }
}
