import AMQPClient
import Foundation
import JobHuntEvents
import JobHuntWorker
import MongoClient

/// Publish-to-commit latency at a steady rate: JobPosted events of new jobs, each publish time
/// noted; each commit time is the `wall` clock of its insert in the oplog (same machine clock).
enum LatencyProbe {
    struct Result {
        var published = 0
        var measured = 0
        var p50Milliseconds = 0.0
        var p99Milliseconds = 0.0
        var achievedRate = 0.0
    }

    static func run(rate: Int, seconds: Int, configuration: WorkerConfiguration, pool: MongoClientPool) throws -> Result {
        let channel = try AMQPConnection(url: AMQPURL(configuration.amqpURL), heartbeatSeconds: 0).openChannel(1)
        defer { channel.connection.close() }
        try channel.enableConfirms()
        let properties = AMQPMessageProperties(contentType: EventPublisher.contentType, deliveryMode: .persistent)
        let total = rate * seconds
        var publishedAt: [String: Int64] = [:]
        publishedAt.reserveCapacity(total)
        let startWall = Timestamp.now().millisecondsSinceEpoch
        let start = ContinuousClock.now
        let tick = 100  // events per pacing step
        for index in 0..<total {
            if index % tick == 0 {
                let due = start + .milliseconds(index * 1000 / rate)
                let wait = due - ContinuousClock.now
                if wait > .zero { Thread.sleep(forTimeInterval: wait.seconds) }
            }
            let externalID = "latency-\(startWall)-\(index)"
            let event = Event(
                metadata: EventMetadata(id: "lat-\(startWall)-\(index)", source: "benchmark", type: .jobPosted, time: Timestamp.now()),
                payload: .jobPosted(JobPosting(externalID: externalID, title: "Latency probe", company: "Benchmark")))
            publishedAt[externalID] = Timestamp.now().millisecondsSinceEpoch
            _ = try channel.publish(exchange: configuration.exchange, routingKey: "job.posted", body: EventEncoder.encode(event), properties: properties, mandatory: false)
            if channel.outstandingConfirms >= 1_000 { _ = try channel.waitForConfirms(outstandingAtMost: 200, timeout: .seconds(60)) }
        }
        _ = try channel.waitForConfirms(timeout: .seconds(60))
        let achievedRate = Double(total) / (ContinuousClock.now - start).seconds

        let jobs = pool.database(configuration.database).collection("jobs")
        let deadline = ContinuousClock.now + .seconds(600)
        while try jobs.countDocuments(filter: ["title": "Latency probe"]) < total, ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.2)
        }
        var latencies: [Double] = []
        try pool.database("local").collection("oplog.rs").find(
            filter: ["ns": .string("\(configuration.database).jobs"), "op": "i", "wall": ["$gte": .date(millisecondsSinceEpoch: startWall)]],
            options: FindOptions(projection: ["wall": 1, "o.external_id": 1])
        ) { entry in
            guard let externalID = entry.document("o")?.string("external_id"), let published = publishedAt[externalID],
                  let committed = entry.date("wall") else { return }
            latencies.append(Double(committed - published))
        }
        latencies.sort()
        func percentile(_ p: Double) -> Double { latencies.isEmpty ? .nan : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
        return Result(published: total, measured: latencies.count, p50Milliseconds: percentile(0.50), p99Milliseconds: percentile(0.99), achievedRate: achievedRate)
    }
}
