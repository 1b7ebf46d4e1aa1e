import JobHuntTesting
@testable import JobHuntWorker
import Testing

@Suite struct OutageRetryTests {
    struct Down: Error {}

    @Test func aStepIsTriedAgainUntilItSucceedsAndEveryFailureIsReported() {
        var retry = OutageRetry(backoff: Backoff(initial: .milliseconds(1), maximum: .milliseconds(4)))
        var attempts = 0
        var reported = 0
        let value = retry.run(abandonWhen: { false }, onFailure: { (_: Down) in reported += 1 }) { () throws(Down) -> String in
            attempts += 1
            if attempts < 4 { throw Down() }
            return "up"
        }
        #expect(value == "up")
        #expect(attempts == 4)
        #expect(reported == 3)
    }

    @Test func abandoningAfterAFailureGivesNilAndTheFirstAttemptIsAlwaysMade() {
        var retry = OutageRetry()
        var attempts = 0
        let value = retry.run(abandonWhen: { true }, onFailure: { (_: Down) in }) { () throws(Down) -> Int in
            attempts += 1
            throw Down()
        }
        #expect(value == nil)
        #expect(attempts == 1)
    }

    @Test func anAbandonIsNoticedDuringALongDelay() async {
        let abandoned = StopSignal()
        let waiting = Task {
            await onOwnThread(named: "retry") { () -> (Int?, Duration) in
                let started = ContinuousClock.now
                var retry = OutageRetry(backoff: Backoff(initial: .seconds(30)), checkInterval: .milliseconds(10))
                let value = retry.run(abandonWhen: { abandoned.isRaised }, onFailure: { (_: Down) in }) { () throws(Down) -> Int in
                    throw Down()
                }
                return (value, ContinuousClock.now - started)
            }
        }
        try? await Task.sleep(for: .milliseconds(100))
        abandoned.raise()
        let (value, waited) = await waiting.value
        #expect(value == nil)
        #expect(waited < .seconds(25), "it waited out the 30 s delay")
    }

    /// Six quick failures grow the delay to 640 ms; a step that ran 100 ms before failing (a
    /// connection that was up for a while) starts over at 10 ms.
    @Test func aFailureAfterAHealthySpellStartsTheDelaysOver() {
        var retry = OutageRetry(
            backoff: Backoff(initial: .milliseconds(10), maximum: .seconds(10)), checkInterval: .milliseconds(5),
            newOutageAfter: .milliseconds(50))
        var attempts = 0
        var failedAt = ContinuousClock.now
        var gapAfterHealthySpell: Duration?
        _ = retry.run(abandonWhen: { false }, onFailure: { (_: Down) in failedAt = .now }) { () throws(Down) -> Int in
            attempts += 1
            if attempts == 8 { gapAfterHealthySpell = ContinuousClock.now - failedAt; return 0 }
            if attempts == 7 { blockingSleep(.milliseconds(100)) }
            throw Down()
        }
        let gap = gapAfterHealthySpell
        #expect(gap.map { $0 < .milliseconds(300) } == true, "waited \(String(describing: gap)) instead of starting over")
    }
}
