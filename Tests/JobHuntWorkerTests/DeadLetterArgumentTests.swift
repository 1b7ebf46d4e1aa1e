@testable import JobHuntWorker
import Testing

/// What `dlq replay --limit/--rate` and `dlq purge --older-than` accept: a value refused here
/// is a usage error (exit 64) with this message.
@Suite struct DeadLetterArgumentTests {
    @Test func durationsOfEachUnitAreMilliseconds() throws {
        #expect(try ArgumentValue.duration("45s", option: "--older-than") == 45_000)
        #expect(try ArgumentValue.duration("90m", option: "--older-than") == 90 * 60_000)
        #expect(try ArgumentValue.duration("12h", option: "--older-than") == 12 * 3_600_000)
        #expect(try ArgumentValue.duration("30d", option: "--older-than") == 30 * 86_400_000)
        #expect(try ArgumentValue.duration("36500d", option: "--older-than") == 36_500 * 86_400_000)
    }

    @Test(arguments: ["", "d", "30", "30x", "30D", "0d", "0s", "-5d", "+5d", "3.5h", " 30d", "30d ", "1h30m", "36501d",
                      "99999999999999999999d", "9223372036854775807s", "thirty days"])
    func malformedDurationsAreRefusedWithTheAcceptedForm(_ text: String) {
        #expect(throws: InvalidArgumentValue.self) { try ArgumentValue.duration(text, option: "--older-than") }
        do {
            _ = try ArgumentValue.duration(text, option: "--older-than")
        } catch {
            #expect(error.description.contains("--older-than"))
            #expect(error.description.contains("45s, 90m, 12h, 30d"))
        }
    }

    @Test func countsAreWholeAndPositive() throws {
        #expect(try ArgumentValue.positiveCount("1", option: "--limit") == 1)
        #expect(try ArgumentValue.positiveCount("500", option: "--limit") == 500)
        for text in ["0", "-3", "1.5", "1e3", "ten", "", " 5", "99999999999999999999"] {
            #expect(throws: InvalidArgumentValue.self, "\(text)") { try ArgumentValue.positiveCount(text, option: "--limit") }
        }
    }

    @Test func ratesArePositiveFiniteDecimals() throws {
        #expect(try ArgumentValue.positiveRate("50", option: "--rate") == 50)
        #expect(try ArgumentValue.positiveRate("0.5", option: "--rate") == 0.5)
        for text in ["0", "0.0", "-1", "nan", "inf", "infinity", "0x10", "1e3", "abc", "", ".5", "5.", "1.2.3"] {
            #expect(throws: InvalidArgumentValue.self, "\(text)") { try ArgumentValue.positiveRate(text, option: "--rate") }
        }
    }

    @Test func messagesNameTheOptionAndTheValue() {
        #expect(throws: InvalidArgumentValue("--limit must be a whole number of at least 1, not '0'")) {
            try ArgumentValue.positiveCount("0", option: "--limit")
        }
        #expect(throws: InvalidArgumentValue("--rate must be a number of messages per second above 0 (e.g. 50 or 0.5), not 'nan'")) {
            try ArgumentValue.positiveRate("nan", option: "--rate")
        }
    }
}

/// `dlq replay --rate`: message k waits until k/R seconds after the first.
@Suite struct ReplayPacerTests {
    @Test func aRateSpacesTurnsByItsInterval() {
        var pacer = ReplayPacer(rate: 20)
        let start = ContinuousClock.now
        for _ in 0..<5 { pacer.waitForTurn() }
        #expect(ContinuousClock.now - start >= .milliseconds(200))  // 4 intervals of 50 ms
    }

    @Test func noRateNeverWaits() {
        var pacer = ReplayPacer(rate: nil)
        let start = ContinuousClock.now
        for _ in 0..<1_000 { pacer.waitForTurn() }
        #expect(ContinuousClock.now - start < .seconds(10))  // a nil rate that waited even 10 ms a turn would take 10 s
    }

    @Test func batchesHoldAboutOneSecondOfMessages() {
        #expect(ReplayPacer.batchSize(rate: nil, pageSize: 200) == 200)
        #expect(ReplayPacer.batchSize(rate: 50, pageSize: 200) == 50)
        #expect(ReplayPacer.batchSize(rate: 0.5, pageSize: 200) == 1)
        #expect(ReplayPacer.batchSize(rate: 10_000, pageSize: 200) == 200)
    }
}
