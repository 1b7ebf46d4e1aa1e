import Foundation
import JobHuntEvents
import JobHuntTesting
import Testing

/// Contract §7 on the real binary: `jobhunt_event_age_seconds` is commit time minus the event's
/// own `time`, in seconds, in the buckets of `WorkerMetricsBuckets.eventAge`.
@Suite(.enabled(if: serversAvailable), .timeLimit(.minutes(2)))
struct EventAgeMetricTests {
    @Test func eventsTwoHoursOldAreCountedTwoHoursOldAndAFreshOneSmall() async throws {
        let bed = try TestBed()
        defer { bed.tearDown() }
        try bed.setUp()
        let worker = try EndpointWorker(bed: bed)
        try await worker.process.waitUntilConsuming()

        let age: Int64 = 2 * 3_600
        let sent = Timestamp.now()
        let old = Timestamp(millisecondsSinceEpoch: sent.millisecondsSinceEpoch - age * 1_000).rfc3339
        let oldJobs = (1...3).map { TestEvents.jobPosted(id: "old-\($0)", time: old, externalID: "old-job-\($0)").body }
        let freshJob = TestEvents.jobPosted(id: "fresh", time: sent.rfc3339, externalID: "fresh-job").body
        try bed.publish(oldJobs + [freshJob])
        let type = ["type": "JobPosted"]
        try await waitUntil(timeout: .seconds(30)) {
            OperationsClient.value("jobhunt_event_age_seconds_count", type, in: worker.metrics()) == 4
        }
        // Each event's age is at most `age` plus the time from `sent` until now.
        let since = Double(Timestamp.now().millisecondsSinceEpoch - sent.millisecondsSinceEpoch) / 1_000
        let text = worker.metrics()

        let sum = try #require(OperationsClient.value("jobhunt_event_age_seconds_sum", type, in: text))
        #expect(sum >= 3 * Double(age) && sum <= 3 * (Double(age) + since) + since, "sum \(sum), \(since) s after sending")
        func bucket(_ bound: Double) -> Double? {
            OperationsClient.samples("jobhunt_event_age_seconds_bucket", in: text)
                .first { $0.labels["type"] == "JobPosted" && $0.labels["le"].flatMap(Double.init) == bound }?.value
        }
        // The fresh one in the 5 s bucket, the old ones between the hour and the day.
        #expect(bucket(5) == 1)
        #expect(bucket(3_600) == 1)
        #expect(bucket(86_400) == 4)
        #expect(bucket(.infinity) == 4)

        worker.process.signal(SIGTERM)
        let exit = try await worker.process.waitForExit()
        #expect(exit.status == 0, "\(exit.output.suffix(3000))")
    }
}
