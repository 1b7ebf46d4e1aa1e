import AMQPClient
import ArgumentParser
import Foundation
import JSON
import JobHuntEvents
import JobHuntHandlers
import JobHuntStore
import JobHuntWorker
import JobHuntWorkload
import Logging
import MongoClient

/// `jobhunt-benchmark`: measures the worker against the machine's ceilings on the local
/// services (deploy/services.sh), with a deterministic mixed workload, and prints a table and
/// one JSON line. Everything it creates (queues, exchanges, databases) is removed at the end.
@main
struct BenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobhunt-benchmark",
        abstract: "Drain rate, ceilings, latency, memory and CPU of jobhunt-worker on the local services.")

    @OptionGroup var workloadOptions: WorkloadOptions
    @Option(help: "Steady publish rate for the latency probe (events/s).") var rate = 5_000
    @Option(name: .customLong("latency-seconds"), help: "How long the latency probe publishes.") var latencySeconds = 10
    @Option(name: .customLong("worker"), help: "The jobhunt-worker executable (default: next to this one).") var workerPath: String?

    func run() throws {
        var log = Logger(label: "benchmark")
        log.logLevel = .warning
        let environment = ProcessInfo.processInfo.environment
        let base = try WorkerConfiguration(environment: environment)
        let tag = "bench\(UInt32.random(in: 0..<UInt32.max))"
        let pool = try MongoClientPool(uri: base.mongoURI)
        defer { pool.close() }

        let spec = workloadOptions.spec
        note("generating \(spec.events) messages (\(spec.users) users, \(spec.jobs) jobs, seed \(spec.seed))")
        let workload = Workload(spec)
        let reference = workload.referenceModel()
        var perQueue: [String: Int] = [:]

        // Ceiling A: the broker alone.
        var brokerConfiguration = base
        (brokerConfiguration.queuePrefix, brokerConfiguration.exchange, brokerConfiguration.database) = ("\(tag)a", "\(tag)a.events", "jobhunt_\(tag)_a")
        let brokerTopology = Topology(brokerConfiguration)
        for message in workload.messages {
            let type = EventType.allCases.first { $0.routingKey == message.routingKey } ?? .jobPosted
            perQueue[brokerTopology.queue(for: type), default: 0] += 1
        }
        try Declarations.apply(brokerConfiguration, pool: pool, logger: log)
        defer { remove(brokerConfiguration, pool: pool) }
        note("ceiling A: publishing, then consuming with no writes")
        let publishRate = try BrokerCeiling.publish(workload, configuration: brokerConfiguration)
        let ceilingA = try BrokerCeiling.drain(queues: perQueue, configuration: brokerConfiguration)

        // Ceiling B: the database alone, the same final state as bulk inserts.
        var databaseConfiguration = base
        databaseConfiguration.database = "jobhunt_\(tag)_b"
        try IndexCatalog.ensureIndexes(in: pool.database(databaseConfiguration.database))
        defer { try? pool.database(databaseConfiguration.database).drop() }
        note("ceiling B: bulk-inserting the final state directly")
        let finalState = DirectLoad.documents(of: reference, users: workload.userIDs)
        let loader = DirectLoad(database: pool.database(databaseConfiguration.database))
        let loadStart = ContinuousClock.now
        for (collection, documents) in finalState { try loader.insert(documents, into: collection) }
        let ceilingB = Double(workload.messages.count) / (ContinuousClock.now - loadStart).seconds

        // The worker: drain the pre-filled backlog, then the latency probe.
        var workerConfiguration = base
        (workerConfiguration.queuePrefix, workerConfiguration.exchange, workerConfiguration.database) = ("\(tag)w", "\(tag)w.events", "jobhunt_\(tag)_w")
        try Declarations.apply(workerConfiguration, pool: pool, logger: log)
        defer { remove(workerConfiguration, pool: pool) }
        let database = pool.database(workerConfiguration.database)
        try insertUsers(workload.userIDs, into: database)
        note("worker: pre-filling the backlog")
        _ = try BrokerCeiling.publish(workload, configuration: workerConfiguration)
        let worker = try startWorker(workerConfiguration, environment: environment)
        defer { if worker.isRunning { worker.terminate() } }
        note("worker: draining \(workload.messages.count) messages")
        let drainStart = ContinuousClock.now
        let expected = StateCheck.expectedCounts(reference)
        // Until the counts are the reference's and nothing is queued, or nothing has moved for a
        // minute with nothing queued (the correctness check below then says what differs).
        var last = try StateCheck.counts(in: database)
        var lastMove = ContinuousClock.now
        while try last != expected || inFlight(workerConfiguration) > 0 {
            guard worker.isRunning else { throw ValidationError("the worker exited during the drain") }
            Thread.sleep(forTimeInterval: 0.25)
            let counts = try StateCheck.counts(in: database)
            if try counts != last || inFlight(workerConfiguration) > 0 { lastMove = .now }
            if ContinuousClock.now - lastMove > .seconds(60) {
                note("the drain stalled with the state short of the reference")
                break
            }
            last = counts
        }
        let drainSeconds = (ContinuousClock.now - drainStart).seconds
        let drainUsage = ProcessUsage.of(pid: worker.processIdentifier)
        let problems = try StateCheck.differences(database, reference, users: workload.userIDs)

        let drained = { try inFlight(workerConfiguration) == 0 }
        note("latency: \(rate) JobPosted events/s for \(latencySeconds) s")
        let jobsLatency = try LatencyProbe.run(
            mix: .jobs, rate: rate, seconds: latencySeconds, users: workload.userIDs, configuration: workerConfiguration, pool: pool, isDrained: drained)
        note("latency: \(rate) mixed events/s for \(latencySeconds) s")
        let latency = try LatencyProbe.run(
            mix: .mixed, rate: rate, seconds: latencySeconds, users: workload.userIDs, configuration: workerConfiguration, pool: pool, isDrained: drained)
        let finalUsage = ProcessUsage.of(pid: worker.processIdentifier)
        worker.terminate()
        worker.waitUntilExit()

        let drainRate = Double(workload.messages.count) / drainSeconds
        let combined = 1 / (1 / ceilingA + 1 / ceilingB)
        let report = Report(
            events: workload.messages.count, users: workload.userIDs.count, matchesPerUser: workload.matchesPerUser,
            publishRate: publishRate, ceilingA: ceilingA, ceilingB: ceilingB, combined: combined,
            drainRate: drainRate, ratio: drainRate / combined, latency: latency, jobsLatency: jobsLatency,
            peakRSSMegabytes: Double(finalUsage?.peakResidentBytes ?? 0) / 1_048_576,
            cpuSecondsPer1k: (drainUsage?.cpuSeconds ?? 0) / Double(workload.messages.count) * 1000,
            correctness: problems.isEmpty ? "ok" : problems.joined(separator: "; "))
        report.print()
        if !problems.isEmpty { throw ExitCode.failure }
    }

    private func note(_ text: String) {
        FileHandle.standardError.write(Data("benchmark: \(text)\n".utf8))
    }

    private func insertUsers(_ ids: [ObjectIDHex], into database: MongoDatabase) throws {
        for start in stride(from: 0, to: ids.count, by: 1_000) {
            let batch = ids[start..<min(start + 1_000, ids.count)].map { id -> WriteModel in
                .insertOne(["_id": .objectID(ObjectID(bytes: id.bytes)!), "email": .string("\(id.hex)@bench.example"), "name": "Bench User"])
            }
            _ = try database.collection("users").bulkWrite(batch, ordered: false)
        }
    }

    private func startWorker(_ configuration: WorkerConfiguration, environment: [String: String]) throws -> Process {
        let path = workerPath ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("jobhunt-worker").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["run"]
        var childEnvironment = environment
        childEnvironment["MONGODB_DATABASE"] = configuration.database
        childEnvironment["JOBHUNT_EXCHANGE"] = configuration.exchange
        childEnvironment["JOBHUNT_QUEUE_PREFIX"] = configuration.queuePrefix
        childEnvironment["JOBHUNT_LOG_LEVEL"] = childEnvironment["JOBHUNT_LOG_LEVEL"] ?? "error"
        // A large backlog keeps matches and interactions waiting for jobs still queued far
        // behind them; with the default 300 s window they would become dead letters
        // (`missing_reference`) before their jobs arrive, and the state would differ from the
        // reference. The drain measures throughput, so the window is an hour unless set.
        childEnvironment["JOBHUNT_RETRY_WINDOW_S"] = childEnvironment["JOBHUNT_RETRY_WINDOW_S"] ?? "3600"
        process.environment = childEnvironment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.standardError
        try process.run()
        return process
    }

    private func inFlight(_ configuration: WorkerConfiguration) throws -> Int {
        let topology = Topology(configuration)
        let channel = try configuration.brokers().connect().connection.openChannel(1)
        defer { channel.connection.close() }
        return try (topology.workQueues + Topology.retryDelays.map { topology.retryQueue(delaySeconds: $0) })
            .reduce(0) { $0 + Int(try channel.declareQueuePassive(name: $1).messageCount) }
    }

    private func remove(_ configuration: WorkerConfiguration, pool: MongoClientPool) {
        let topology = Topology(configuration)
        if let channel = try? configuration.brokers().connect().connection.openChannel(1) {
            for queue in topology.allQueues { _ = try? channel.deleteQueue(name: queue) }
            for exchange in [topology.exchange, topology.deadLetterExchange, topology.retryExchange] { try? channel.deleteExchange(name: exchange) }
            channel.connection.close()
        }
        try? pool.database(configuration.database).drop()
    }
}
