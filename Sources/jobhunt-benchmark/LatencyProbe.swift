import AMQPClient
import Foundation
import JobHuntEvents
import JobHuntWorker
import JobHuntWorkload
import MongoClient

/// Publish-to-commit latency at a steady rate. Each publish time is noted; each commit time is
/// the `wall` clock of the event's write in the oplog (same machine clock), found by the event
/// id the document records (`last_event_id`, `event_id`), in a transaction's `applyOps` too.
///
/// Two mixes: `jobs` publishes JobPosted events of new jobs only (the fast lane); `mixed`
/// publishes the workload's proportions (2 JobPosted : 3 MatchComputed : 5 InteractionRecorded)
/// of new jobs, matches and interactions, each referencing a job posted at least half a second
/// earlier, so that nothing waits for a retry.
enum LatencyProbe {
    enum Mix: String { case jobs, mixed }

    struct Result {
        var published = 0
        var measured = 0
        var p50Milliseconds = 0.0
        var p99Milliseconds = 0.0
        var achievedRate = 0.0
    }

    /// Publishes for `seconds`, waits until `isDrained()` says the work queues are empty, then
    /// reads the commit times (the oplog has no index on `wall`, so it is scanned once or a few times).
    static func run(
        mix: Mix, rate: Int, seconds: Int, users: [ObjectIDHex], configuration: WorkerConfiguration, pool: MongoClientPool,
        isDrained: () throws -> Bool
    ) throws -> Result {
        let channel = try configuration.brokers().connect().connection.openChannel(1)
        defer { channel.connection.close() }
        try channel.enableConfirms()
        let properties = AMQPMessageProperties(contentType: EventPublisher.contentType, deliveryMode: .persistent)
        let total = rate * seconds
        var publishedAt: [String: Int64] = [:]
        publishedAt.reserveCapacity(total)
        let startWall = Timestamp.now().millisecondsSinceEpoch
        var events = EventSource(mix: mix, tag: "\(mix.rawValue)-\(startWall)", users: users, lag: max(1, rate / 2))
        let start = ContinuousClock.now
        let tick = 100  // events per pacing step
        for index in 0..<total {
            if index % tick == 0 {
                let due = start + .milliseconds(index * 1000 / rate)
                let wait = due - ContinuousClock.now
                if wait > .zero { Thread.sleep(forTimeInterval: wait.seconds) }
            }
            let event = events.next(index)
            publishedAt[event.metadata.id] = Timestamp.now().millisecondsSinceEpoch
            _ = try channel.publish(
                exchange: configuration.exchange, routingKey: event.metadata.type.routingKey, body: EventEncoder.encode(event),
                properties: properties, mandatory: false)
            if channel.outstandingConfirms >= 1_000 { _ = try channel.waitForConfirms(outstandingAtMost: 200, timeout: .seconds(60)) }
        }
        _ = try channel.waitForConfirms(timeout: .seconds(60))
        let achievedRate = Double(total) / (ContinuousClock.now - start).seconds

        var committedAt: [String: Int64] = [:]
        let deadline = ContinuousClock.now + .seconds(600)
        while try !isDrained(), ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.2) }
        while committedAt.count < total, ContinuousClock.now < deadline {
            try readCommits(after: startWall, database: configuration.database, pool: pool) { id, wall in
                if publishedAt[id] != nil, committedAt[id] == nil { committedAt[id] = wall }
            }
            if committedAt.count < total { Thread.sleep(forTimeInterval: 1) }
        }
        var latencies = committedAt.compactMap { id, wall in publishedAt[id].map { Double(wall - $0) } }
        latencies.sort()
        func percentile(_ p: Double) -> Double { latencies.isEmpty ? .nan : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
        return Result(published: total, measured: latencies.count, p50Milliseconds: percentile(0.50), p99Milliseconds: percentile(0.99), achievedRate: achievedRate)
    }

    /// Reports the event id and `wall` time of every write to `database` in the oplog since
    /// `after`: inserts and full-document replacements, alone or inside a transaction's `applyOps`.
    private static func readCommits(after: Int64, database: String, pool: MongoClientPool, _ report: (String, Int64) -> Void) throws {
        try pool.database("local").collection("oplog.rs").find(
            filter: ["wall": ["$gte": .date(millisecondsSinceEpoch: after)], "$or": [["ns": ["$regex": .string("^\(database)\\.")]], ["op": "c"]]],
            options: FindOptions(projection: ["wall": 1, "ns": 1, "o": 1])
        ) { entry in
            guard let wall = entry.date("wall") else { return }
            var documents = [entry.document("o")]
            for case .document(let inner) in entry.document("o")?.array("applyOps") ?? [] { documents.append(inner.document("o")) }
            for case let document? in documents {
                if let id = document.string("last_event_id") ?? document.string("event_id") { report(id, wall) }
            }
        }
    }

    /// The probe's events: new entities only, so every one is applied.
    struct EventSource {
        let mix: Mix
        let tag: String
        let users: [ObjectIDHex]
        /// How many events back a referenced job must have been published.
        let lag: Int
        private var jobs: [(index: Int, externalID: String)] = []
        private var eligible = 0
        private var usedPairs = Set<String>()
        private var random = SplitMix64(seed: 7)

        init(mix: Mix, tag: String, users: [ObjectIDHex], lag: Int) {
            (self.mix, self.tag, self.users, self.lag) = (mix, tag, users, lag)
        }

        mutating func next(_ index: Int) -> Event {
            let slot = index % 10
            while eligible < jobs.count, jobs[eligible].index <= index - lag { eligible += 1 }
            if mix == .jobs || slot < 2 || eligible == 0 || users.isEmpty { return job(index) }
            for _ in 0..<16 {
                let user = users.randomElement(using: &random)!
                let job = jobs[Int.random(in: 0..<eligible, using: &random)].externalID
                let metadata = EventMetadata(
                    id: "\(tag)-\(index)", source: "benchmark", type: slot < 5 ? .matchComputed : .interactionRecorded, time: Timestamp.now())
                if slot < 5 {
                    guard usedPairs.insert("m \(user.hex) \(job)").inserted else { continue }
                    let match = MatchComputed(
                        userID: user, job: .externalID(job), relevancyScore: 0.5, matchReason: "latency probe",
                        matchDetails: MatchDetails(skillsMatched: ["Swift"], skillsMissing: ["Go"], overallCompatibility: 0.5))
                    return Event(metadata: metadata, payload: .matchComputed(match))
                }
                let type = InteractionType.allCases.randomElement(using: &random)!
                guard usedPairs.insert("i \(user.hex) \(job) \(type.rawValue)").inserted else { continue }
                return Event(metadata: metadata, payload: .interactionRecorded(InteractionRecorded(userID: user, job: .externalID(job), interactionType: type)))
            }
            return job(index)
        }

        private mutating func job(_ index: Int) -> Event {
            let externalID = "\(tag)-job-\(index)"
            jobs.append((index, externalID))
            return Event(
                metadata: EventMetadata(id: "\(tag)-\(index)", source: "benchmark", type: .jobPosted, time: Timestamp.now()),
                payload: .jobPosted(JobPosting(externalID: externalID, title: "Latency probe", company: "Benchmark")))
        }
    }
}
