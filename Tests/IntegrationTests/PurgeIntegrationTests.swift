import JobHuntEvents
import JobHuntStore
import JobHuntTesting
import MongoClient
import Testing

/// `dlq purge --older-than DURATION`: only `replayed` and `discarded` records whose status last
/// changed before the cutoff go, with the pieces of their large bodies; `dead` ones never do.
@Suite(.enabled(if: serversAvailable), .timeLimit(.minutes(3)))
struct PurgeIntegrationTests {
    @Test func purgeDeletesOnlyOldReplayedAndDiscardedRecordsAndTheirBodyPieces() async throws {
        let bed = try TestBed()
        defer { bed.tearDown() }
        try bed.setUp()
        let store = DeadLetterStore(database: bed.database)
        let now = Timestamp.now().millisecondsSinceEpoch
        let long = now - 60 * dayMilliseconds, old = now - 40 * dayMilliseconds, recent = now - dayMilliseconds

        let oldReplayed = try recordDeadLetters(1, in: store, now: long, tag: "old-replayed")[0]
        #expect(try store.markReplayed(id: oldReplayed, attempts: 1, now: old))
        let oldDiscarded = try recordDeadLetters(1, in: store, now: long, tag: "old-discarded")[0]
        #expect(try store.discard(DeadLetterFilter(ids: [oldDiscarded]), now: old) == 1)
        let oldDead = try recordDeadLetters(1, in: store, now: long, tag: "old-dead")[0]
        // Failed long ago, replayed recently: its age is its last status change.
        let recentReplayed = try recordDeadLetters(1, in: store, now: long, tag: "recent-replayed")[0]
        #expect(try store.markReplayed(id: recentReplayed, attempts: 1, now: recent))
        let recentDiscarded = try recordDeadLetters(1, in: store, now: long, tag: "recent-discarded")[0]
        #expect(try store.discard(DeadLetterFilter(ids: [recentDiscarded]), now: recent) == 1)
        // Large bodies, kept in pieces: the old replayed one's pieces go, the dead one's stay.
        let bigReplayed = try recordDeadLetters(1, in: store, now: long, tag: "big-replayed", size: (8 << 20) + 1)[0]
        #expect(try store.markReplayed(id: bigReplayed, attempts: 1, now: old))
        let bigDead = try recordDeadLetters(1, in: store, now: long, tag: "big-dead", size: (8 << 20) + 1)[0]
        // Replayed, then failed again: `dead` once more, however old its replay.
        let deadAgain = try recordDeadLetters(1, in: store, now: long, tag: "dead-again")[0]
        #expect(try store.markReplayed(id: deadAgain, attempts: 1, now: old))
        try recordDeadLetters(1, in: store, now: old + 1_000, tag: "dead-again")
        // Records from before `status_changed_at`: aged by `replayed_at` / `discarded_at`.
        let legacyOld = try recordDeadLetters(1, in: store, now: long, tag: "legacy-old")[0]
        #expect(try store.markReplayed(id: legacyOld, attempts: 1, now: old))
        let legacyRecent = try recordDeadLetters(1, in: store, now: long, tag: "legacy-recent")[0]
        #expect(try store.discard(DeadLetterFilter(ids: [legacyRecent]), now: recent) == 1)
        try bed.database.collection(DeadLetterStore.collectionName).updateMany(
            filter: ["_id": ["$in": [.string(legacyOld), .string(legacyRecent)]]], update: ["$unset": ["status_changed_at": ""]])
        let chunks = bed.database.collection(DeadLetterStore.chunksCollectionName)
        #expect(try chunks.countDocuments(filter: ["dead_letter_id": .string(bigReplayed)]) == 3)

        let purge = try await runCLI(["dlq", "purge", "--older-than", "30d"], bed)
        #expect(purge.status == 0, "\(purge.output)")
        #expect(purge.output.contains("purged 4 dead letters"), "\(purge.output)")

        let left = Set(try bed.deadLetters().map(\.id))
        #expect(left == [oldDead, recentReplayed, recentDiscarded, bigDead, deadAgain, legacyRecent])
        #expect(try store.find(idPrefix: deadAgain).status == .dead)
        #expect(try chunks.countDocuments(filter: ["dead_letter_id": .string(bigReplayed)]) == 0)
        #expect(try store.find(idPrefix: bigDead).body.count == (8 << 20) + 1, "a dead record lost its body")

        let again = try await runCLI(["dlq", "purge", "--older-than", "30d"], bed)
        #expect(again.output.contains("purged 0 dead letters"), "\(again.output)")
        let shorter = try await runCLI(["dlq", "purge", "--older-than", "12h"], bed)
        #expect(shorter.output.contains("purged 3 dead letters"), "\(shorter.output)")
        #expect(Set(try bed.deadLetters().map(\.id)) == [oldDead, bigDead, deadAgain])
    }

    @Test func badDurationsLimitsAndRatesAreUsageErrorsWithoutStackTraces() async throws {
        let bed = try TestBed()
        defer { bed.tearDown() }
        let cases: [(arguments: [String], message: String)] = [
            (["dlq", "purge", "--older-than", "30x"], "--older-than must be a whole number followed by s, m, h or d"),
            (["dlq", "purge", "--older-than", "0d"], "--older-than must be"),
            (["dlq", "purge", "--older-than=-5d"], "--older-than must be"),
            (["dlq", "purge"], "--older-than"),
            (["dlq", "replay", "--all", "--limit", "0"], "--limit must be a whole number of at least 1, not '0'"),
            (["dlq", "replay", "--all", "--limit=-3"], "--limit must be a whole number of at least 1, not '-3'"),
            (["dlq", "replay", "--all", "--limit", "ten"], "--limit must be"),
            (["dlq", "replay", "--all", "--rate", "0"], "--rate must be a number of messages per second above 0"),
            (["dlq", "replay", "--all", "--rate=-2"], "--rate must be"),
            (["dlq", "replay", "--all", "--rate", "nan"], "--rate must be"),
        ]
        for (arguments, message) in cases {
            let result = try await runCLI(arguments, bed)
            #expect(result.status == 64, "\(arguments): \(result.output)")
            #expect(result.output.contains(message), "\(arguments): \(result.output)")
            #expect(!result.output.contains("Fatal error") && !result.output.contains("Stack dump"), "\(arguments)")
        }
    }
}
