import AMQPClient
import JobHuntEvents
import JobHuntHandlers
import JobHuntTesting
import JobHuntWorker
import Synchronization
import Testing

/// The worker stopped at the two fixed points of settlement where a crash is most delicate,
/// against the real servers: after a batch's effects are committed and before its ack, and
/// between a retry copy's confirm and the original's ack. Each time the consumer drops its
/// connection without acking, as a killed process would. Afterwards nothing is lost, nothing
/// is applied twice, and `user_stats` are exact.
@Suite(.enabled(if: serversAvailable), .timeLimit(.minutes(3)))
struct PipelineCrashPointTests {
    let users = [ObjectIDHex(hex: "64b7f0c2a1b2c3d4e5f60718")!, ObjectIDHex(hex: "64b7f0c2a1b2c3d4e5f60719")!]
    let time = "2026-11-24T11:00:00Z"

    @Test func crashesAfterAWriteAndAfterARetryConfirmLoseNothingAndDoubleNothing() async throws {
        let bed = try TestBed(retryWindowSeconds: 120)
        defer { bed.tearDown() }
        try bed.setUp()
        try bed.insertUsers(users)
        let jobs = (1...4).map { TestEvents.fullJobPosted(id: "j\($0)", time: "2026-11-24T10:00:00Z", externalID: "job-\($0)").body }
        let lateJob = TestEvents.fullJobPosted(id: "j-late", time: "2026-11-24T10:00:00Z", externalID: "job-late").body
        var matches: [[UInt8]] = []
        var interactions: [[UInt8]] = []
        for (number, user) in users.enumerated() {
            for job in 1...4 {
                matches.append(TestEvents.fullMatch(
                    id: "m\(number)-\(job)", time: time, user: user, job: .externalID("job-\(job)"),
                    skillsMissing: job.isMultiple(of: 2) ? ["Docker"] : ["Go"]).body)
                interactions.append(TestEvents.interaction(id: "v\(number)-\(job)", time: "2026-11-24T12:00:00Z", user: user, job: "job-\(job)", type: .viewed).body)
                if job <= 2 + number {
                    interactions.append(TestEvents.interaction(id: "s\(number)-\(job)", time: "2026-11-24T12:00:00Z", user: user, job: "job-\(job)", type: .saved).body)
                }
            }
        }
        // Before their job: through the delay queues. The match turns user 0's top skill to Go.
        matches.append(TestEvents.fullMatch(id: "m-late", time: time, user: users[0], job: .externalID("job-late"), skillsMissing: ["Go"]).body)
        interactions.append(TestEvents.interaction(id: "s-late", time: "2026-11-24T12:00:00Z", user: users[1], job: "job-late", type: .saved).body)
        let expected = expectedState(jobs + [lateJob] + matches + interactions)

        let crashes = CrashPoints(crashAfterWriteOn: bed.topology.queue(for: .interactionRecorded))
        try await bed.withWorker(hooks: crashes.hooks) {
            try bed.publish(jobs)
            try await waitUntil { try bed.database.collection("jobs").countDocuments() == jobs.count }
            try bed.publish(matches, routingKey: "match.computed")
            try bed.publish(interactions, routingKey: "interaction.recorded")
            try await waitUntil { crashes.report.crashed == 2 }
            try bed.publish([lateJob])
            try await waitUntil(timeout: .seconds(90), every: .milliseconds(500)) {
                try bed.messagesInFlight() == 0 && ExpectedState(of: bed.database) == expected
            }
        }
        let report = crashes.report
        #expect(report.cameBack == [.afterWrite, .afterRetryConfirm], "a crashed batch was not delivered again")
        #expect(try bed.deadLetters().isEmpty)
        let final = try ExpectedState(of: bed.database)
        #expect(final == expected, "\(final.differences(from: expected))")
        #expect(final.stats[users[0].hex] == UserStats(jobsViewed: 4, jobsSaved: 2, topMissingSkill: "Go"))
        #expect(final.stats[users[1].hex] == UserStats(jobsViewed: 4, jobsSaved: 4, topMissingSkill: "Docker"))
    }

    /// What the reference model makes of `bodies`, applied in order (jobs first).
    private func expectedState(_ bodies: [[UInt8]]) -> ExpectedState {
        var model = ReferenceModel(users: users)
        for body in bodies {
            if let event = try? EventDecoder.decode(body) { model.apply(event) }
        }
        return ExpectedState(of: model)
    }
}

/// Hooks that crash the worker once at each point, and notice when the crashed deliveries are
/// delivered again.
private final class CrashPoints: Sendable {
    enum Point: Hashable, Error { case afterWrite, afterRetryConfirm }

    struct Report {
        var crashed = 0
        /// The points whose deliveries came back (redelivered) in a later batch.
        var cameBack: Set<Point> = []
        fileprivate var unacked: [Point: Set<[UInt8]>] = [:]
    }

    private let state = Mutex(Report())
    private let queue: String

    /// Crashes after the first write of `queue`, and after the first confirm of retry copies.
    init(crashAfterWriteOn queue: String) { self.queue = queue }

    var report: Report { state.withLock { $0 } }

    var hooks: PipelineHooks {
        PipelineHooks(afterWrite: { [self] queue, batch in
            try state.withLock { report in
                for (point, bodies) in report.unacked where batch.contains(where: { $0.redelivered && bodies.contains($0.body) }) {
                    report.cameBack.insert(point)
                }
                if queue == self.queue { try Self.crashOnce(at: .afterWrite, batch, &report) }
            }
        }, afterRetryConfirm: { [self] _, copied in
            try state.withLock { report in try Self.crashOnce(at: .afterRetryConfirm, copied, &report) }
        })
    }

    private static func crashOnce(at point: Point, _ deliveries: [AMQPDelivery], _ report: inout Report) throws {
        guard report.unacked[point] == nil else { return }
        report.unacked[point] = Set(deliveries.map(\.body))
        report.crashed += 1
        throw point
    }
}
