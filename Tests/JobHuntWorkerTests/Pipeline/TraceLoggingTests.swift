import AMQPClient
import JobHuntEvents
import JobHuntHandlers
@testable import JobHuntWorker
import Logging
import Synchronization
import Testing

/// Every log line the writer makes about an event carries its trace id.
@Suite struct TraceLoggingTests {
    @Test func theOutcomeAndTheRetryOfATracedEventAreLoggedWithItsTraceID() {
        let lines = CapturedLines()
        var logger = Logger(label: "test") { _ in lines }
        logger.logLevel = .trace
        let parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        let processing = DeliveryProcessing { deliveries in
            deliveries.map { delivery in
                let applied = delivery.deliveryTag == 1
                return ProcessedMessage(
                    eventID: "e\(delivery.deliveryTag)", eventType: "JobPosted",
                    trace: applied ? TraceAttributes(traceParent: parent) : nil,
                    outcome: applied ? .applied : .retryLater(detail: "user missing"))
            }
        }
        var configuration = WorkerConfiguration()
        configuration.queuePrefix = "t"
        let writer = BatchWriter(
            queue: "t.jobs", retries: RetryScheduler(topology: Topology(configuration), windowMilliseconds: 300_000),
            processing: processing, deadLetters: FakeDatabase(journal: Journal()).recorder, logger: logger)
        _ = writer.write([PipelineFixtures.delivery(1), PipelineFixtures.delivery(2)], abandon: { false })

        let applied = lines.all.first { $0.message == "applied" }
        #expect(applied?.metadata["trace.id"] == "4bf92f3577b34da6a3ce929d0e0e4736")
        let retried = lines.all.first { $0.message.hasPrefix("reference missing") }
        #expect(retried != nil && retried?.metadata["trace.id"] == nil, "an event without a trace has none")
    }
}

/// A log handler that keeps every line, for tests that read what was logged.
private final class CapturedLines: LogHandler, @unchecked Sendable {
    // @unchecked: the state is behind the Mutex; the protocol's stored properties are set once.
    struct Line { let message: String; let metadata: [String: String] }
    private let lines = Mutex<[Line]>([])
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    var all: [Line] { lines.withLock { $0 } }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }.mapValues { "\($0)" }
        lines.withLock { $0.append(Line(message: "\(event.message)", metadata: merged)) }
    }
}
