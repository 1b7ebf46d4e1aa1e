import JobHuntEvents
import JobHuntStore
import JobHuntTesting
import JSON
import MongoClient
import Testing

/// `dlq stats` by hour of `last_failed_at` over the last 24 hours: a burst shows in its hour.
@Suite(.enabled(if: serversAvailable), .timeLimit(.minutes(2)))
struct DeadLetterHourlyStatsTests {
    @Test func statsCountRecordsIntoTheHourOfTheirLastFailure() async throws {
        let bed = try TestBed()
        defer { bed.tearDown() }
        try bed.setUp()
        let store = DeadLetterStore(database: bed.database)
        let now = Timestamp.now().millisecondsSinceEpoch
        let thisHour = now - now % hourMilliseconds
        // A burst two hours ago (one of it replayed since), one failure five hours ago, one in
        // the current hour, and one 30 hours ago, outside the window.
        let burst = try recordDeadLetters(3, in: store, now: thisHour - 2 * hourMilliseconds + 10 * 60_000, tag: "burst")
        #expect(try store.markReplayed(id: burst[0], attempts: 1, now: now))
        try recordDeadLetters(1, in: store, now: thisHour - 5 * hourMilliseconds + 1, tag: "five")
        try recordDeadLetters(1, in: store, now: thisHour + 1, tag: "current")
        try recordDeadLetters(1, in: store, now: thisHour - 30 * hourMilliseconds, tag: "old")

        let stats = try await runCLI(["dlq", "stats", "--json"], bed)
        #expect(stats.status == 0, "\(stats.output)")
        let objects = try stats.output.split(separator: "\n").map { try #require(try JSONParser.parse(Array($0.utf8)).objectValue) }
        let hours = objects.filter { $0["hour"] != nil }
        #expect(hours.count == 24)
        var byHour: [String: [Int64]] = [:]
        for object in hours {
            guard case .string(let hour)? = object["hour"] else { continue }
            byHour[hour] = ["dead", "replayed", "discarded"].map { key in
                if case .integer(let n)? = object[key] { return n }
                return -1
            }
        }
        let time = { (ms: Int64) in Timestamp(millisecondsSinceEpoch: ms).rfc3339 }
        #expect(byHour[time(thisHour - 2 * hourMilliseconds)] == [2, 1, 0])
        #expect(byHour[time(thisHour - 5 * hourMilliseconds)] == [1, 0, 0])
        #expect(byHour[time(thisHour)] == [1, 0, 0])
        #expect(byHour.values.reduce(0) { $0 + $1.reduce(0, +) } == 5, "the record 30 hours ago is outside the window")
        // The by-reason lines are still there, unchanged: all six records, one reason.
        let reasons = objects.filter { $0["reason"] != nil }
        #expect(reasons.count == 1)
        #expect(reasons.first?["dead"] == .integer(5))
        #expect(reasons.first?["replayed"] == .integer(1))

        let text = try await runCLI(["dlq", "stats"], bed)
        #expect(text.output.contains("REASON"))
        #expect(text.output.contains("5 dead letters waiting"))
        #expect(text.output.contains("by hour of last failure"))
        let burstRow = text.output.split(separator: "\n").first { $0.hasPrefix(time(thisHour - 2 * hourMilliseconds)) }
        #expect(burstRow?.split(separator: " ") == [Substring(time(thisHour - 2 * hourMilliseconds)), "2", "1", "0"])
    }
}
