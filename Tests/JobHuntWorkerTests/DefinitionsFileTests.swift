import AMQPClient
import Foundation
import JobHuntEvents
@testable import JobHuntWorker
import Testing

/// `deploy/rabbitmq/definitions.json` describes exactly the topology the worker declares (for
/// the default names): the same exchanges, queues and bindings, and each queue's arguments plus
/// its policy equal to the arguments `Topology` declares it with. The topology stays written
/// once, in `Topology`; this test catches the file drifting from it.
@Suite struct DefinitionsFileTests {
    let topology = Topology(WorkerConfiguration())
    let definitions: [String: Any] = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let data = try! Data(contentsOf: root.appendingPathComponent("deploy/rabbitmq/definitions.json"))
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }()

    private func entries(_ key: String) -> [[String: Any]] { definitions[key] as? [[String: Any]] ?? [] }

    /// How a policy key is spelled as a queue argument.
    private static let argumentOfPolicyKey = [
        "delivery-limit": "x-delivery-limit", "dead-letter-exchange": "x-dead-letter-exchange",
        "dead-letter-strategy": "x-dead-letter-strategy", "overflow": "x-overflow", "message-ttl": "x-message-ttl",
    ]

    /// A queue's arguments in the file plus those its policy sets, as text.
    private func effectiveArguments(of queue: String) -> [String: String] {
        var arguments: [String: String] = [:]
        let entry = entries("queues").first { $0["name"] as? String == queue }
        for (key, value) in entry?["arguments"] as? [String: Any] ?? [:] { arguments[key] = "\(value)" }
        let policies = entries("policies").filter { policy in
            guard let pattern = policy["pattern"] as? String else { return false }
            return queue.range(of: pattern, options: .regularExpression) != nil
        }
        #expect(policies.count == 1, "\(queue) has \(policies.count) policies")
        for (key, value) in policies.first?["definition"] as? [String: Any] ?? [:] {
            arguments[Self.argumentOfPolicyKey[key] ?? "unknown policy key \(key)"] = "\(value)"
        }
        return arguments
    }

    private func text(_ table: AMQPTable) -> [String: String] {
        var result: [String: String] = [:]
        for key in table.keys {
            result[key] = table[key]?.stringValue ?? table[key]?.intValue.map(String.init) ?? "?"
        }
        return result
    }

    @Test func theExchangesAndQueuesAreTheWorkers() {
        let exchanges = Dictionary(uniqueKeysWithValues: entries("exchanges").map { ($0["name"] as? String ?? "", $0["type"] as? String ?? "") })
        #expect(exchanges == [topology.exchange: "topic", topology.deadLetterExchange: "fanout", topology.retryExchange: "headers"])
        #expect(Set(entries("queues").compactMap { $0["name"] as? String }) == Set(topology.allQueues))
    }

    @Test func eachQueueGetsTheArgumentsTheWorkerDeclaresThroughItsPolicy() {
        for queue in topology.workQueues {
            #expect(effectiveArguments(of: queue) == text(topology.workQueueArguments), "\(queue)")
        }
        for seconds in Topology.retryDelays {
            let queue = topology.retryQueue(delaySeconds: seconds)
            #expect(effectiveArguments(of: queue) == text(topology.delayQueueArguments(seconds: seconds)), "\(queue)")
        }
    }

    @Test func theBindingsAreTheWorkers() {
        var expected: Set<String> = [
            "\(topology.deadLetterExchange) -> \(topology.deadQueue) [] {}",
        ]
        for type in EventType.allCases {
            expected.insert("\(topology.exchange) -> \(topology.queue(for: type)) [\(type.routingKey)] {}")
        }
        for seconds in Topology.retryDelays {
            let arguments = text(topology.retryBindingArguments(seconds: seconds)).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            expected.insert("\(topology.retryExchange) -> \(topology.retryQueue(delaySeconds: seconds)) [] {\(arguments.joined(separator: ","))}")
        }
        let actual = Set(entries("bindings").map { binding in
            let arguments = (binding["arguments"] as? [String: Any] ?? [:]).map { "\($0.key)=\($0.value)" }.sorted()
            return "\(binding["source"] ?? "") -> \(binding["destination"] ?? "") [\(binding["routing_key"] ?? "")] {\(arguments.joined(separator: ","))}"
        })
        #expect(actual == expected)
    }
}
