import Foundation
import JobHuntEvents
import JobHuntStore
import JobHuntTesting
import JobHuntWorkload
import Testing

/// One fault of contract §8 against real servers: a mixed workload of 10k events, worker
/// processes consuming it (its postings are published only once the workers have sent matches
/// and interactions to wait for their jobs, so that retries wait in the delay queues), a fault
/// injected by the test, and afterwards every collection compared with the in-memory
/// reference, nothing left in flight, no dead letter but the workload's invalid messages, and
/// `stats rebuild --check` clean.
///
/// Prints one line per scenario with the events lost, the effects doubled and the time from
/// the end of the fault to the reference state.
final class FaultScenario {
    let name: String
    let bed: TestBed
    let workload: Workload
    let expected: ExpectedState
    private var workers: [WorkerProcess] = []
    /// The workload's JobPosted messages, held back until retries wait (`releaseJobs`).
    private var heldBackJobs: [Workload.Message] = []

    /// Publishes the workload (with the bed's topology and the workload's users in place).
    /// `publish: false` leaves that to the test (`publishWorkload()`), for a broker that is
    /// not up yet.
    init(_ name: String, bed: TestBed, seed: UInt64 = 9, publish: Bool = true) async throws {
        var spec = WorkloadSpec()
        spec.users = 300
        spec.jobs = 1_500
        spec.events = 10_000
        spec.seed = seed
        let workload = Workload(spec)
        self.name = name
        self.bed = bed
        self.workload = workload
        self.expected = try await offThePool { ExpectedState(of: workload) }
        if publish {
            try await offThePool {
                try bed.setUp()
                try bed.insertUsers(workload.userIDs)
            }
            try await publishWorkload()
        }
    }

    /// Publishes every message of the workload but its postings, with confirms; the postings
    /// wait for `waitUntilMidStream` (or `expectRecovered`).
    func publishWorkload() async throws {
        let bed = bed
        let (jobs, others) = workload.messages.reduce(into: ([Workload.Message](), [Workload.Message]())) {
            if $1.routingKey == EventType.jobPosted.routingKey { $0.0.append($1) } else { $0.1.append($1) }
        }
        heldBackJobs = jobs
        try await offThePool { try bed.publish(others) }
    }

    /// Publishes the held-back postings; with `afterRetries`, once the workers have sent
    /// messages to wait for them in the delay queues. Timing alone does not make retries:
    /// a worker that writes postings faster than matches would find every job in place.
    private func releaseJobs(afterRetries: Bool) async throws {
        guard !heldBackJobs.isEmpty else { return }
        let bed = bed, jobs = heldBackJobs
        heldBackJobs = []
        if afterRetries {
            try await waitUntil(timeout: .seconds(120), every: .milliseconds(100)) { try bed.messagesWaitingForRetry() > 0 }
        }
        try await offThePool { try bed.publish(jobs) }
    }

    /// Starts a `jobhunt-worker run` process with the bed's environment and `overrides`.
    @discardableResult
    func startWorker(_ overrides: [String: String] = [:]) throws -> WorkerProcess {
        var environment = bed.environment
        environment.merge(overrides) { $1 }
        let worker = WorkerProcess(arguments: ["run"], environment: environment)
        try worker.start()
        workers.append(worker)
        return worker
    }

    /// Waits until the workers are part-way through: effects applied, and retries waiting in
    /// the delay queues (the messages a broker fault used to lose; while they wait, the work is
    /// not done).
    func waitUntilMidStream() async throws {
        try await releaseJobs(afterRetries: true)
        let bed = bed
        let matches = bed.database.collection("job_matches")
        do {
            try await waitUntil(timeout: .seconds(120), every: .milliseconds(100)) {
                try matches.countDocuments() >= 100 && bed.messagesWaitingForRetry() > 0
            }
        } catch let timeout as ConditionTimeout {
            let seen = "matches \((try? matches.countDocuments()).map(String.init) ?? "?"), waiting for retry \((try? bed.messagesWaitingForRetry()).map(String.init) ?? "?")"
            let output = workers.map { "worker running \($0.process.isRunning):\n\($0.outputSoFar.suffix(3000))" }
            throw ConditionTimeout(description: "\(timeout) (never mid-stream: \(seen))\n" + output.joined(separator: "\n"))
        }
    }

    /// Waits (up to `timeout`) for the reference state, then checks everything else, stops the
    /// workers with SIGTERM (each must exit 0) and prints the scenario's figures. `faultEnded`
    /// is when the fault was over: recovery is timed from there.
    /// `report` adds what the test knows about its servers to a failure.
    func expectRecovered(
        faultEnded: ContinuousClock.Instant, timeout: Duration = .seconds(300), report: (() -> String)? = nil
    ) async throws {
        try await releaseJobs(afterRetries: false)
        let bed = bed, expected = expected
        var converged = true
        do {
            try await waitUntil(timeout: timeout, every: .seconds(1)) {
                try bed.messagesInFlight() == 0 && ExpectedState(of: bed.database) == expected
            }
        } catch {
            converged = false
        }
        let recovery = ContinuousClock.now - faultEnded
        let actual = try await offThePool { try ExpectedState(of: bed.database) }
        let lost = expected.jobs.subtracting(actual.jobs).count + expected.matches.subtracting(actual.matches).count
            + expected.interactions.subtracting(actual.interactions).count
        let doubled = actual.stats.filter { user, stats in
            guard let want = expected.stats[user] else { return true }
            return stats.jobsViewed > want.jobsViewed || stats.jobsSaved > want.jobsSaved
        }.count
        print("fault scenario '\(name)': events lost \(lost), effects doubled \(doubled), recovered \(recovery.roundedSeconds) s after the fault")
        let queues = converged ? "" : "\nqueues: \((try? bed.messagesByQueue()).map { "\($0.sorted { $0.key < $1.key })" } ?? "?")\n\(report?() ?? "")"
        #expect(converged, "'\(name)' did not reach the reference state:\n\(actual.differences(from: expected))\(queues)")
        #expect(lost == 0)
        #expect(doubled == 0)

        let invalidBodies = Set(workload.messages.filter { $0.event == nil }.map(\.body))
        let records = try bed.deadLetters()
        #expect(Set(records.map(\.id)) == Set(invalidBodies.map(DeadLetter.id(ofBody:))), "dead letters other than the invalid messages: \(Set(records.map(\.reason)))")
        for worker in workers where worker.process.isRunning { worker.signal(SIGTERM) }
        for worker in workers {
            let (status, output) = try await worker.waitForExit(timeout: .seconds(30))
            #expect(status == 0, "a worker exited \(status):\n\(output.suffix(3000))")
        }
        let check = WorkerProcess(arguments: ["stats", "rebuild", "--check"], environment: bed.environment)
        try check.start()
        let (status, output) = try await check.waitForExit()
        #expect(status == 0, "stats rebuild --check found drift:\n\(output.suffix(2000))")
    }

    /// SIGTERM to `worker` during an outage: it must exit 0 within 30 s (having acked nothing
    /// without its effect: `expectRecovered` proves that part afterwards).
    func expectPromptExitOnSigterm(_ worker: WorkerProcess) async throws {
        let signalled = ContinuousClock.now
        worker.signal(SIGTERM)
        let (status, output) = try await worker.waitForExit(timeout: .seconds(40))
        let took = ContinuousClock.now - signalled
        print("fault scenario '\(name)': SIGTERM during the outage, exit \(status) after \(took.roundedSeconds) s")
        #expect(status == 0, "exit \(status) after SIGTERM during the outage:\n\(output.suffix(3000))")
        #expect(took < .seconds(30))
    }
}

extension Duration {
    /// Seconds with one decimal, for the scenarios' figures.
    var roundedSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds / 100_000_000_000_000_000) / 10
    }
}

/// Every fault scenario, one at a time: each drives a 10k workload through its own servers,
/// and side by side on two cores they would starve each other (and a fault would no longer
/// hit while retries wait).
@Suite(.serialized) enum FaultScenarios {}

extension FaultScenario {
    /// The bed of every scenario: a retry window no fault outlasts, the default delivery limit.
    private static func bed(prefetch: Int, mongoURI: String? = nil, amqpURL: String? = nil) throws -> TestBed {
        try TestBed(retryWindowSeconds: 600, deliveryLimit: 50, prefetch: prefetch, mongoURI: mongoURI, amqpURL: amqpURL)
    }

    /// Runs `body` with a published scenario on the shared servers.
    static func onSharedServers(_ name: String, prefetch: Int = 500, _ body: (FaultScenario) async throws -> Void) async throws {
        let bed = try bed(prefetch: prefetch)
        defer { bed.tearDown() }
        try await body(FaultScenario(name, bed: bed))
    }

    /// Runs `body` with a published scenario on a RabbitMQ of its own (`nodes` nodes) and the
    /// shared MongoDB; removes the broker afterwards.
    static func onPrivateBroker(_ name: String, nodes: Int = 1, _ body: (FaultScenario, PrivateBroker) async throws -> Void) async throws {
        let broker = PrivateBroker(nodes: nodes)
        defer { broker.remove() }
        try await onOwnThread { try broker.start() }
        let bed = try bed(prefetch: 500, amqpURL: broker.amqpURL)
        defer { bed.tearDown() }
        try await body(FaultScenario(name, bed: bed), broker)
    }

    /// Runs `body` with a published scenario on a replica set of its own (`members` members)
    /// and the shared broker; removes the replica set afterwards.
    static func onPrivateReplicaSet(
        _ name: String, members: Int = 1, _ body: (FaultScenario, PrivateReplicaSet) async throws -> Void
    ) async throws {
        let replicaSet = PrivateReplicaSet(members: members)
        defer { replicaSet.remove() }
        try await onOwnThread { try replicaSet.start() }
        let bed = try bed(prefetch: 500, mongoURI: replicaSet.uri)
        defer { bed.tearDown() }
        try await body(FaultScenario(name, bed: bed), replicaSet)
    }
}
