import Foundation
import Testing

/// Contract §8, the broker side: a node restarted or killed mid-stream (a single node, and the
/// node the worker is connected to in a 3-node cluster), and a SIGTERM while the broker is
/// down. Waiting retries are part of "nothing lost": each fault hits while the delay queues
/// hold messages.
extension FaultScenarios {
@Suite(.enabled(if: serversAvailable && PrivateBroker.available), .timeLimit(.minutes(6)))
struct BrokerFaultTests {
    @Test func brokerRestartedCleanlyMidStream() async throws {
        let broker = PrivateBroker()
        defer { broker.remove() }
        try await onOwnThread { try broker.start() }
        let bed = try TestBed(retryWindowSeconds: 600, deliveryLimit: 50, prefetch: 500, amqpURL: broker.amqpURL)
        defer { bed.tearDown() }
        let scenario = try await FaultScenario("broker restarted cleanly", bed: bed)
        try scenario.startWorker()
        try await scenario.waitUntilMidStream()
        try await onOwnThread { try broker.stop(node: 1) }
        try await Task.sleep(for: .seconds(3))
        try await onOwnThread { try broker.start(node: 1) }
        try await scenario.expectRecovered(faultEnded: .now)
    }

    @Test func brokerKilledMidStream() async throws {
        let broker = PrivateBroker()
        defer { broker.remove() }
        try await onOwnThread { try broker.start() }
        let bed = try TestBed(retryWindowSeconds: 600, deliveryLimit: 50, prefetch: 500, amqpURL: broker.amqpURL)
        defer { bed.tearDown() }
        let scenario = try await FaultScenario("broker killed (SIGKILL)", bed: bed)
        try scenario.startWorker()
        try await scenario.waitUntilMidStream()
        try await onOwnThread { try broker.kill(node: 1) }
        try await Task.sleep(for: .seconds(2))
        try await onOwnThread { try broker.start(node: 1) }
        try await scenario.expectRecovered(faultEnded: .now)
    }

    @Test func sigtermWhileTheBrokerIsDownExitsPromptlyAndLosesNothing() async throws {
        let broker = PrivateBroker()
        defer { broker.remove() }
        try await onOwnThread { try broker.start() }
        let bed = try TestBed(retryWindowSeconds: 600, deliveryLimit: 50, prefetch: 500, amqpURL: broker.amqpURL)
        defer { bed.tearDown() }
        let scenario = try await FaultScenario("SIGTERM while the broker is down", bed: bed)
        let first = try scenario.startWorker()
        try await scenario.waitUntilMidStream()
        try await onOwnThread { try broker.kill(node: 1) }
        try await Task.sleep(for: .seconds(1))
        try await scenario.expectPromptExitOnSigterm(first)
        try await onOwnThread { try broker.start(node: 1) }
        try scenario.startWorker()
        try await scenario.expectRecovered(faultEnded: .now)
    }

    @Test func clusterNodeOfTheWorkerKilled() async throws {
        let broker = PrivateBroker(nodes: 3)
        defer { broker.remove() }
        try await onOwnThread { try broker.start() }
        let bed = try TestBed(retryWindowSeconds: 600, deliveryLimit: 50, prefetch: 500, amqpURL: broker.amqpURL)
        defer { bed.tearDown() }
        let scenario = try await FaultScenario("cluster node of the worker killed", bed: bed)
        // Every consumer connects to the first node of the list: the one killed.
        let worker = try scenario.startWorker()
        try await worker.waitUntilConsuming()
        try await scenario.waitUntilMidStream()
        try await onOwnThread { try broker.kill(node: 1) }
        let killed = ContinuousClock.now
        // The survivors serve the queues (a quorum of two of three), node 1 stays down meanwhile.
        try await waitUntil(timeout: .seconds(120), every: .seconds(1)) {
            worker.outputSoFar.components(separatedBy: "consuming").count > 8
        }
        try await scenario.expectRecovered(faultEnded: killed)
        try await onOwnThread { try broker.start(node: 1) }
    }

    @Test func runStartedBeforeTheBroker() async throws {
        let broker = PrivateBroker()
        defer { broker.remove() }
        try await onOwnThread { try broker.start() }
        let bed = try TestBed(retryWindowSeconds: 600, deliveryLimit: 50, prefetch: 500, amqpURL: broker.amqpURL)
        defer { bed.tearDown() }
        let scenario = try await FaultScenario("run started before the broker", bed: bed)
        try await onOwnThread { try broker.stop(node: 1) }
        let worker = try scenario.startWorker()
        try await waitUntil(timeout: .seconds(30)) { worker.outputSoFar.contains("unreachable; waiting") }
        try await onOwnThread { try broker.start(node: 1) }
        try await scenario.expectRecovered(faultEnded: .now)
    }
}
}
