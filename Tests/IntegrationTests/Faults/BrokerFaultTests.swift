import Foundation
import Synchronization
import JobHuntTesting
import Testing

/// Contract §8, the broker side: a node restarted or killed mid-stream (a single node, and the
/// node the worker is connected to in a 3-node cluster), a SIGTERM while the broker is down,
/// and `run` started before the broker. Waiting retries are part of "nothing lost": each
/// fault hits while the delay queues hold messages.
extension FaultScenarios {
    @Suite(.enabled(if: serversAvailable && PrivateBroker.available), .timeLimit(.minutes(12)))
    struct BrokerFaultTests {
        @Test func brokerRestartedCleanlyMidStream() async throws {
            try await FaultScenario.onPrivateBroker("broker restarted cleanly") { scenario, broker in
                try scenario.startWorker()
                try await scenario.waitUntilMidStream()
                try await onOwnThread { try broker.stop(node: 1) }
                try await Task.sleep(for: .seconds(3))
                try await onOwnThread { try broker.start(node: 1) }
                try await scenario.expectRecovered(faultEnded: .now)
            }
        }

        @Test func brokerKilledMidStream() async throws {
            try await FaultScenario.onPrivateBroker("broker killed (SIGKILL)") { scenario, broker in
                try scenario.startWorker()
                try await scenario.waitUntilMidStream()
                try await onOwnThread { try broker.kill(node: 1) }
                try await Task.sleep(for: .seconds(2))
                try await onOwnThread { try broker.start(node: 1) }
                try await scenario.expectRecovered(faultEnded: .now)
            }
        }

        @Test func sigtermWhileTheBrokerIsDownExitsPromptlyAndLosesNothing() async throws {
            try await FaultScenario.onPrivateBroker("SIGTERM while the broker is down") { scenario, broker in
                let first = try scenario.startWorker()
                try await scenario.waitUntilMidStream()
                try await onOwnThread { try broker.kill(node: 1) }
                try await Task.sleep(for: .seconds(1))
                try await scenario.expectPromptExitOnSigterm(first)
                try await onOwnThread { try broker.start(node: 1) }
                try scenario.startWorker()
                try await scenario.expectRecovered(faultEnded: .now)
            }
        }

        @Test func clusterNodeOfTheWorkerKilled() async throws {
            try await FaultScenario.onPrivateBroker("cluster node of the worker killed", nodes: 3) { scenario, broker in
                // Every consumer connects to the first node of the list: the one killed.
                let worker = try scenario.startWorker()
                try await worker.waitUntilConsuming()
                try await scenario.waitUntilMidStream()
                try await onOwnThread { try broker.kill(node: 1) }
                let killed = ContinuousClock.now
                // The survivors serve the queues (a quorum of two of three); node 1 stays down.
                try await waitUntil(timeout: .seconds(120), every: .seconds(1)) {
                    worker.outputSoFar.components(separatedBy: "consuming").count > 8
                }
                // Known issue (RabbitMQ 3.10): retries that expire while their delay queue's
                // leader dies can stay in that queue, held as dead letters and not forwarded,
                // until the killed node is back. Only that is excused here; then the node
                // returns, and everything must arrive.
                let stranded = Mutex(0)
                try await withKnownIssue("at-least-once dead letters stranded in a delay queue whose leader's node died", isIntermittent: true) {
                    try await scenario.expectRecovered(faultEnded: killed, timeout: .seconds(120)) {
                        stranded.withLock { $0 = broker.strandedInDelayQueues(node: 2) }
                        return broker.queueReport(node: 2)
                    }
                } matching: { _ in stranded.withLock { $0 } > 0 }
                try await onOwnThread { try broker.start(node: 1) }
                if stranded.withLock({ $0 }) > 0 {
                    print("fault scenario 'cluster node of the worker killed': \(stranded.withLock { $0 }) retries stranded until node 1 returned")
                    let returned = ContinuousClock.now
                    try scenario.startWorker()
                    try await scenario.expectRecovered(faultEnded: returned)
                }
            }
        }

        @Test func runStartedBeforeTheBroker() async throws {
            try await FaultScenario.onPrivateBroker("run started before the broker") { scenario, broker in
                try await onOwnThread { try broker.stop(node: 1) }
                let worker = try scenario.startWorker()
                try await waitUntil(timeout: .seconds(30)) { worker.outputSoFar.contains("unreachable; waiting") }
                try await onOwnThread { try broker.start(node: 1) }
                try await scenario.expectRecovered(faultEnded: .now)
            }
        }
    }
}
