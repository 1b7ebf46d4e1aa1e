import AMQPClient
@testable import JobHuntWorker
import Synchronization

/// A broker connection in memory, named `name` in the journal ("a ack 3+" is a multiple-ack of
/// tag 3 on source a). Deliveries arrive when the test queues them; a failure set by the test
/// is thrown by the next call, as a lost connection would be.
final class FakeDeliverySource: DeliverySource, Sendable {
    struct LostConnection: Error {}

    private struct State {
        var inbox: [AMQPDelivery] = []
        var arrivingAfterCancel: [AMQPDelivery] = []
        var failure: (any Error)?
        var confirmsFail = false
        var published = 0
    }

    let name: String
    private let journal: Journal
    private let state = Mutex(State())

    init(_ name: String, journal: Journal, deliveries: [AMQPDelivery] = [], arrivingAfterCancel: [AMQPDelivery] = [], confirmsFail: Bool = false) {
        self.name = name
        self.journal = journal
        state.withLock {
            $0.inbox = deliveries
            $0.arrivingAfterCancel = arrivingAfterCancel
            $0.confirmsFail = confirmsFail
        }
    }

    /// Deliveries that arrived and were not taken yet.
    var waiting: Int { state.withLock { $0.inbox.count } }

    /// Makes the next call fail, as a dropped connection does.
    func loseConnection() { state.withLock { $0.failure = LostConnection() } }

    func waitUntilReadable(timeout: Duration) throws -> Bool {
        let deadline = ContinuousClock.now + min(timeout, .milliseconds(20))
        while true {
            let readable = try state.withLock { state throws -> Bool in
                if let failure = state.failure { throw failure }
                return !state.inbox.isEmpty
            }
            if readable || ContinuousClock.now >= deadline { return readable }
            blockingSleep(.milliseconds(1))
        }
    }

    func nextDelivery() throws -> AMQPDelivery? {
        try state.withLock { state in
            if let failure = state.failure { throw failure }
            return state.inbox.isEmpty ? nil : state.inbox.removeFirst()
        }
    }

    func ack(deliveryTag: UInt64, multiple: Bool) throws {
        try check()
        journal.append("\(name) ack \(deliveryTag)\(multiple ? "+" : "")")
    }

    func publishRetryCopy(of delivery: AMQPDelivery, afterSeconds seconds: Int) throws {
        try check()
        state.withLock { $0.published += 1 }
        journal.append("\(name) copy \(delivery.deliveryTag) after \(seconds)s")
    }

    func confirmRetryCopies() throws {
        try check()
        if state.withLock({ $0.confirmsFail }) {
            journal.append("\(name) confirm failed")
            throw AMQPError(.protocolError, "retry not confirmed")
        }
        journal.append("\(name) confirm")
    }

    func cancelConsuming() throws {
        try check()
        state.withLock { state in
            state.inbox += state.arrivingAfterCancel
            state.arrivingAfterCancel = []
        }
        journal.append("\(name) cancel")
    }

    fileprivate func opened() {
        journal.append("\(name) open")
    }

    func close() {
        journal.append("\(name) close")
    }

    private func check() throws {
        if let failure = state.withLock({ $0.failure }) { throw failure }
    }
}

/// Hands out the sources a test prepared, one per connection; fails when there is none left.
final class FakeBroker: Sendable {
    private let sources: Mutex<[FakeDeliverySource]>

    init(_ sources: [FakeDeliverySource]) { self.sources = Mutex(sources) }

    /// The next source ("a open" in its journal).
    func connect() throws -> any DeliverySource {
        let source = try sources.withLock { sources in
            guard !sources.isEmpty else { throw AMQPError(.connectionFailed, "no broker") }
            return sources.removeFirst()
        }
        source.opened()
        return source
    }
}
