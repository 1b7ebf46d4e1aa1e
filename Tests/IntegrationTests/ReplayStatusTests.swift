import Foundation
import JobHuntHandlers
import JobHuntStore
import JobHuntTesting
import JobHuntWorker
import MongoClient
import Testing

/// Contract §6: whatever the interleaving of a replay and a new failure of the replayed
/// message, a record never says `replayed` for a message that is dead again. Both orders are
/// forced, first on the store alone, then with a real worker failing the replayed copies.
@Suite(.enabled(if: serversAvailable), .timeLimit(.minutes(3)))
struct ReplayStatusTests {
    private let malformedBodies: [[UInt8]] = (0..<4).map { Array("{\"broken\": \($0)".utf8) }

    private func failure(_ body: [UInt8]) -> DeadLetterFailure {
        DeadLetterFailure(
            eventID: nil, eventType: nil, reason: .malformed, detail: "truncated", queue: "q", routingKey: "job.posted",
            body: body, headers: [:], contentType: nil)
    }

    @Test func aNewFailureRecordedBeforeTheMarkKeepsTheRecordDead() throws {
        let bed = try TestBed()
        defer { bed.tearDown() }
        let store = DeadLetterStore(database: bed.database)
        let body = malformedBodies[0]
        try store.record(failure(body), now: 1_000)
        let read = try store.find(idPrefix: DeadLetter.id(ofBody: body))
        try store.record(failure(body), now: 2_000)  // the replayed copy failed already

        #expect(try !store.markReplayed(id: read.id, attempts: read.attempts, now: 3_000))
        let after = try store.find(idPrefix: read.id)
        #expect(after.status == .dead)
        #expect(after.attempts == 2)
    }

    @Test func aNewFailureRecordedAfterTheMarkMakesTheRecordDeadAgain() throws {
        let bed = try TestBed()
        defer { bed.tearDown() }
        let store = DeadLetterStore(database: bed.database)
        let body = malformedBodies[0]
        try store.record(failure(body), now: 1_000)
        let read = try store.find(idPrefix: DeadLetter.id(ofBody: body))

        #expect(try store.markReplayed(id: read.id, attempts: read.attempts, now: 2_000))
        #expect(try store.find(idPrefix: read.id).status == .replayed)
        try store.record(failure(body), now: 3_000)
        let after = try store.find(idPrefix: read.id)
        #expect(after.status == .dead)
        #expect(after.attempts == 2)
    }

    /// The order of the issue that found the bug: the worker consumes the replayed copies and
    /// records their new failures between the broker's confirm and the replayer's mark.
    @Test func copiesFailedByAWorkerBeforeTheMarkStayDead() async throws {
        let bed = try TestBed()
        defer { bed.tearDown() }
        try bed.setUp()
        let store = DeadLetterStore(database: bed.database)
        try bed.publish(malformedBodies)
        try await bed.withWorker {
            try await waitUntil { try store.count(DeadLetterFilter(status: .dead)) == malformedBodies.count }
            let replayer = DeadLetterReplayer(configuration: bed.configuration, store: store) { confirmed in
                // Hold the mark until the worker has recorded every copy's new failure.
                let deadline = ContinuousClock.now + .seconds(30)
                while ContinuousClock.now < deadline,
                      (try? store.list(DeadLetterFilter(ids: confirmed.map(\.id))).allSatisfy { $0.attempts == 2 }) != true {
                    usleep(50_000)
                }
            }
            let replayed = try await offThePool { try replayer.replay(DeadLetterFilter(reason: .malformed), dryRun: false) }
            #expect(replayed == malformedBodies.count)
        }
        let records = try store.list(DeadLetterFilter())
        #expect(records.count == malformedBodies.count)
        #expect(records.allSatisfy { $0.status == .dead && $0.attempts == 2 }, "\(records.map { ($0.status, $0.attempts) })")
        #expect(try store.count(DeadLetterFilter(reason: .malformed, status: .dead)) == malformedBodies.count)
    }

    /// The other order: no worker runs while the replay marks; the copies fail afterwards.
    @Test func copiesFailedAfterTheMarkMakeTheirRecordsDeadAgain() async throws {
        let bed = try TestBed()
        defer { bed.tearDown() }
        try bed.setUp()
        let store = DeadLetterStore(database: bed.database)
        try bed.publish(malformedBodies)
        try await bed.withWorker {
            try await waitUntil { try store.count(DeadLetterFilter(status: .dead)) == malformedBodies.count }
        }
        let replayer = DeadLetterReplayer(configuration: bed.configuration, store: store)
        #expect(try await offThePool { try replayer.replay(DeadLetterFilter(reason: .malformed), dryRun: false) } == malformedBodies.count)
        #expect(try store.count(DeadLetterFilter(status: .replayed)) == malformedBodies.count)

        try await bed.withWorker {
            try await waitUntil { try store.list(DeadLetterFilter()).allSatisfy { $0.status == .dead && $0.attempts == 2 } }
        }
        #expect(try store.count(DeadLetterFilter(status: .replayed)) == 0)
    }
}
