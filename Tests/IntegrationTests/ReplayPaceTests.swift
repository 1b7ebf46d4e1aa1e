import JobHuntEvents
import JobHuntStore
import JobHuntTesting
import MongoClient
import Testing

/// `dlq replay --limit N --rate R`: a large replay in measured steps.
@Suite(.enabled(if: serversAvailable), .timeLimit(.minutes(3)))
struct ReplayPaceTests {
    @Test func replayLimitReplaysExactlyThatManyAndTheRestStayDead() async throws {
        let bed = try TestBed()
        defer { bed.tearDown() }
        try bed.setUp()
        let store = DeadLetterStore(database: bed.database)
        let ids = try recordDeadLetters(7, in: store, now: Timestamp.now().millisecondsSinceEpoch).sorted()
        let queue = bed.topology.queue(for: .jobPosted)

        let dryRun = try await runCLI(["dlq", "replay", "--all", "--limit", "3", "--dry-run"], bed)
        #expect(dryRun.output.contains("3 dead letters would be replayed"), "\(dryRun.output)")
        #expect(try store.count(DeadLetterFilter(status: .dead)) == 7)

        let first = try await runCLI(["dlq", "replay", "--all", "--limit", "3"], bed)
        #expect(first.status == 0, "\(first.output)")
        #expect(first.output.contains("replayed 3 dead letters"), "\(first.output)")
        let replayed = try bed.deadLetters().filter { $0.status == .replayed }.map(\.id).sorted()
        #expect(replayed == Array(ids.prefix(3)), "the first 3 in id order")
        try await waitUntil { try bed.messageCount(queue) >= 3 }
        #expect(try bed.messageCount(queue) == 3)

        let rest = try await runCLI(["dlq", "replay", "--all", "--limit", "10"], bed)
        #expect(rest.output.contains("replayed 4 dead letters"), "\(rest.output)")
        #expect(try store.count(DeadLetterFilter(status: .dead)) == 0)
    }

    @Test func replayRateSpacesThePublishes() async throws {
        let bed = try TestBed()
        defer { bed.tearDown() }
        try bed.setUp()
        let store = DeadLetterStore(database: bed.database)
        let count = 11, rate = 4.0
        try recordDeadLetters(count, in: store, now: Timestamp.now().millisecondsSinceEpoch)

        let start = ContinuousClock.now
        let replay = try await runCLI(["dlq", "replay", "--all", "--rate", "4"], bed)
        let elapsed = ContinuousClock.now - start
        #expect(replay.status == 0, "\(replay.output)")
        #expect(replay.output.contains("replayed \(count) dead letters"), "\(replay.output)")
        // A lower bound only: a loaded machine may take longer, never less.
        #expect(elapsed >= .seconds(Double(count - 1) / rate), "\(elapsed)")
        #expect(try store.count(DeadLetterFilter(status: .replayed)) == count)
    }
}
