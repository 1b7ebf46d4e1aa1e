import AMQPClient
import Foundation
import JobHuntTesting
import Testing

/// Contract §8, the network: connections to the broker cut, over and over, and the
/// connection to MongoDB stalled for longer than the AMQP heartbeat, through a proxy of the
/// test's own (`FaultProxy`) in front of the shared servers.
extension FaultScenarios {
    @Suite(.enabled(if: serversAvailable), .timeLimit(.minutes(6)))
    struct ConnectionFaultTests {
        /// A lost connection returns every unacked delivery and counts toward the delivery
        /// limit (contract §3). 25 cuts, each while a consumer holds up to a prefetch of 2,000:
        /// a message can be delivered 26 times without being settled, below the default limit
        /// of 50, so nothing innocent becomes `poison`.
        @Test func brokerConnectionsCutInABurstWithALargePrefetchLoseNothingAndPoisonNothing() async throws {
            try await FaultScenario.onSharedServers("broker connections cut 25 times (prefetch 2000, delivery limit 50)", prefetch: 2_000) { scenario in
                let broker = try scenario.bed.configuration.brokers().urls[0]
                let proxy = try FaultProxy(targetHost: broker.host, targetPort: broker.port)
                defer { proxy.close() }
                try scenario.startWorker(["AMQP_URL": "amqp://guest:guest@127.0.0.1:\(proxy.port)/%2f"])
                try await scenario.waitUntilMidStream()
                for _ in 0..<25 {
                    proxy.cut()
                    try await Task.sleep(for: .milliseconds(400))
                }
                try await scenario.expectRecovered(faultEnded: .now)
            }
        }

        @Test func databaseConnectionStalledLongerThanTheHeartbeat() async throws {
            try await FaultScenario.onSharedServers("database connection stalled 6 s (heartbeat 1 s)") { scenario in
                let (proxy, uri) = try FaultProxy.inFrontOfSharedMongoDB()
                defer { proxy.close() }
                let worker = try scenario.startWorker(["MONGODB_URI": uri, "JOBHUNT_HEARTBEAT_S": "1"])
                try await scenario.waitUntilMidStream()
                proxy.stall()
                try await Task.sleep(for: .seconds(6))
                proxy.resume()
                try await scenario.expectRecovered(faultEnded: .now)
                #expect(!worker.outputSoFar.contains("consumer connection failed"), "heartbeats stopped while the database stalled")
            }
        }

        /// The worker's writes hang on the stalled connection (libmongoc cannot be interrupted);
        /// the drain limit ends the process with what it holds unacked.
        @Test func sigtermWhileTheDatabaseStallsExitsWithinTheDrainLimit() async throws {
            try await FaultScenario.onSharedServers("SIGTERM while the database stalls (drain limit 10 s)") { scenario in
                let (proxy, uri) = try FaultProxy.inFrontOfSharedMongoDB()
                defer { proxy.close() }
                let first = try scenario.startWorker(["MONGODB_URI": uri, "JOBHUNT_DRAIN_TIMEOUT_S": "10"])
                try await scenario.waitUntilMidStream()
                proxy.stall()
                try await Task.sleep(for: .seconds(1))
                try await scenario.expectPromptExitOnSigterm(first)
                proxy.cut()
                proxy.resume()
                try scenario.startWorker()
                try await scenario.expectRecovered(faultEnded: .now)
            }
        }
    }
}
