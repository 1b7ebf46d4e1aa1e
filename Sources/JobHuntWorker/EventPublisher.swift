import AMQPClient
import JobHuntEvents

/// Validates events and publishes them to the exchange with the routing key of their type,
/// persistent, with publisher confirms. Used by `jobhunt-worker publish` and by tests.
public final class EventPublisher {
    /// What happened to one input line.
    public struct LineResult: Sendable, Hashable {
        /// 1-based line number in the input.
        public let line: Int
        /// The event id, when it could be read.
        public let eventID: String?
        /// nil when the broker confirmed the message; otherwise why it was not published.
        public let failure: String?
    }

    /// The content type of a structured-mode CloudEvent.
    public static let contentType = "application/cloudevents+json"

    private let connection: AMQPConnection
    private let channel: AMQPChannel
    private let exchange: String
    private let confirmWindow: Int

    /// Connects to the first of `brokers` that answers and puts a channel in confirm mode.
    public init(brokers: Brokers, exchange: String, confirmWindow: Int = 500) throws {
        connection = try brokers.connect().connection
        channel = try connection.openChannel(1)
        try channel.enableConfirms()
        self.exchange = exchange
        self.confirmWindow = confirmWindow
    }

    deinit { connection.close() }

    /// Validates and publishes each line; blank lines are skipped. A line that fails validation
    /// is not published. Returns one result per non-blank line, in input order.
    public func publish(lines: some Sequence<[UInt8]>) throws -> [LineResult] {
        var results: [LineResult] = []
        var awaiting: [UInt64: Int] = [:]  // publish sequence number -> index in results
        for (offset, line) in lines.enumerated() {
            let body = Self.trimmingNewline(line)
            if body.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            do {
                let event = try EventDecoder.decode(body)
                let sequence = try publish(body: body, event: event.metadata)
                awaiting[sequence] = results.count
                results.append(LineResult(line: offset + 1, eventID: event.metadata.id, failure: nil))
            } catch let error as EventDecodingError {
                results.append(LineResult(line: offset + 1, eventID: error.eventID, failure: "\(error.reason.rawValue): \(error.detail)"))
            }
            if awaiting.count >= confirmWindow { try settle(&awaiting, into: &results) }
        }
        try settle(&awaiting, into: &results)
        return results
    }

    private func publish(body: [UInt8], event: EventMetadata) throws -> UInt64 {
        var properties = AMQPMessageProperties()
        properties.contentType = Self.contentType
        properties.deliveryMode = .persistent
        properties.messageID = event.id
        properties.type = event.type.rawValue
        return try channel.publish(exchange: exchange, routingKey: event.type.routingKey, body: body, properties: properties, mandatory: true)
    }

    private func settle(_ awaiting: inout [UInt64: Int], into results: inout [LineResult]) throws {
        guard !awaiting.isEmpty else { return }
        let confirms = try channel.waitForConfirms(timeout: .seconds(30))
        for failure in confirms.failures {
            guard let index = awaiting[failure.sequenceNumber] else { continue }
            let result = results[index]
            results[index] = LineResult(line: result.line, eventID: result.eventID, failure: failure.reason)
        }
        awaiting.removeAll(keepingCapacity: true)
    }

    private static func trimmingNewline(_ line: [UInt8]) -> [UInt8] {
        var end = line.count
        while end > 0, line[end - 1] == 0x0A || line[end - 1] == 0x0D { end -= 1 }
        return end == line.count ? line : Array(line[..<end])
    }
}

/// A message the broker did not accept.
public struct PublishError: Error, Sendable, CustomStringConvertible {
    /// Why, without the message's content.
    public let description: String
}
