import AMQPClient
@testable import JobHuntWorker

/// Deliveries and a state machine for the pipeline's unit tests.
enum PipelineFixtures {
    /// A delivery with tag `tag` whose body says what the fake processing does with it
    /// (see `FakeProcessing`): `apply`, `retry` or `reject`.
    static func delivery(_ tag: UInt64, _ body: String = "apply") -> AMQPDelivery {
        AMQPDelivery(body: Array(body.utf8), deliveryTag: tag, routingKey: "job.posted")
    }

    static func deliveries(_ tags: ClosedRange<UInt64>, _ body: String = "apply") -> [AMQPDelivery] {
        tags.map { delivery($0, body) }
    }

    static let settings = ConsumerStateMachine.Settings(
        batchSize: 3, batchWait: .milliseconds(5), idleWait: .milliseconds(200), quietAfterStop: .milliseconds(100))

    /// A connected machine with `settings`.
    static func connectedMachine(_ settings: ConsumerStateMachine.Settings = settings) -> ConsumerStateMachine {
        var machine = ConsumerStateMachine(settings)
        machine.connected()
        return machine
    }
}

extension ConsumerStateMachine {
    /// Delivers `deliveries` at `now` and takes the batch that is then due.
    mutating func deliverAndSubmit(_ deliveries: [AMQPDelivery], now: ContinuousClock.Instant) -> [AMQPDelivery]? {
        deliveries.forEach { delivered($0, now: now) }
        return nextBatch(now: now + settings.batchWait)
    }
}
