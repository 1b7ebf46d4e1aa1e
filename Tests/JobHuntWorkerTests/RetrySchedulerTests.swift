import AMQPClient
@testable import JobHuntWorker
import Testing

@Suite struct RetrySchedulerTests {
    let scheduler = RetryScheduler(topology: Topology(WorkerConfiguration()), windowMilliseconds: 300_000)
    let now: Int64 = 1_800_000_000_000

    private func headers(firstAttempt: Int64, retries: Int64) -> AMQPTable {
        [RetryScheduler.firstAttemptHeader: .int64(firstAttempt), RetryScheduler.retriesHeader: .int64(retries)]
    }

    @Test func theFirstRetryWaitsOneSecond() {
        #expect(scheduler.decide(headers: [:], now: now) == .retry(afterSeconds: 1))
    }

    @Test func delaysDoubleUpToTheLongestDelayQueue() {
        let delays = (0..<10).map { scheduler.decide(headers: headers(firstAttempt: now, retries: Int64($0)), now: now) }
        #expect(delays == [1, 2, 4, 8, 16, 32, 60, 60, 60, 60].map { RetryScheduler.Decision.retry(afterSeconds: $0) })
    }

    @Test func aDelayNeverOutlastsTheWindowByMuch() {
        let almostOver = headers(firstAttempt: now - 297_500, retries: 9)
        #expect(scheduler.decide(headers: almostOver, now: now) == .retry(afterSeconds: 2))
    }

    @Test func afterTheWindowItGivesUp() {
        #expect(scheduler.decide(headers: headers(firstAttempt: now - 300_000, retries: 12), now: now) == .giveUp)
    }
}
