import ArgumentParser
import Foundation
import JobHuntEvents
import JobHuntHandlers
import JobHuntStore
import JobHuntWorker
import MongoClient

/// `jobhunt-worker dlq …`: see, group, inspect, replay and discard dead letters.
struct DeadLetterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlq", abstract: "Inspect, replay and discard dead letters.",
        subcommands: [DeadLetterStatsCommand.self, DeadLetterListCommand.self, DeadLetterShowCommand.self,
                      DeadLetterReplayCommand.self, DeadLetterDiscardCommand.self, DeadLetterPurgeCommand.self])
}

/// Opens the dead-letter store of the configured database for the length of `body`.
func withDeadLetterStore<T>(_ connection: ConnectionOptions, _ body: (WorkerConfiguration, DeadLetterStore) throws -> T) throws -> T {
    let configuration = try connection.configuration()
    let pool: MongoClientPool
    do {
        pool = try MongoClientPool(uri: configuration.mongoURI)
    } catch {
        throw RuntimeFailure("cannot use MONGODB_URI: \(error)")
    }
    defer { pool.close() }
    do {
        return try body(configuration, DeadLetterStore(database: pool.database(configuration.database)))
    } catch let error as DeadLetterLookupError {
        throw RuntimeFailure(error.description)
    } catch let error as ExitCode {
        throw error
    } catch {
        throw RuntimeFailure("\(error)")
    }
}

/// A `--reason` value.
extension DeadLetterReason: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument) }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

/// A `--status` value.
extension DeadLetterStatus: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument) }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

struct DeadLetterStatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Dead letters counted by reason and event type, then by hour of last failure over the last 24 hours.")

    @Flag(help: "One JSON object per line.") var json = false
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let now = Timestamp.now().millisecondsSinceEpoch
        let (counts, hours) = try withDeadLetterStore(connection) { _, store in
            (try store.counts(), try store.hourlyCounts(since: HourlyStats.since(now: now)))
        }
        let hourly = HourlyStats(hours, now: now)
        var rows: [String: [DeadLetterStatus: Int]] = [:]
        var order: [(reason: String, type: String)] = []
        for count in counts {
            let key = "\(count.reason.rawValue)\u{0}\(count.eventType ?? "")"
            if rows[key] == nil { order.append((count.reason.rawValue, count.eventType ?? "")) }
            rows[key, default: [:]][count.status, default: 0] += count.count
        }
        if json {
            for (reason, type) in order {
                let row = rows["\(reason)\u{0}\(type)"] ?? [:]
                OutputFormat.printJSON([
                    "reason": .string(reason), "event_type": type.isEmpty ? .null : .string(type),
                    "dead": .integer(Int64(row[.dead] ?? 0)), "replayed": .integer(Int64(row[.replayed] ?? 0)),
                    "discarded": .integer(Int64(row[.discarded] ?? 0)),
                ])
            }
            hourly.printJSON()
            return
        }
        var table = [["REASON", "EVENT TYPE", "DEAD", "REPLAYED", "DISCARDED"]]
        for (reason, type) in order {
            let row = rows["\(reason)\u{0}\(type)"] ?? [:]
            table.append([reason, type.isEmpty ? "-" : type, "\(row[.dead] ?? 0)", "\(row[.replayed] ?? 0)", "\(row[.discarded] ?? 0)"])
        }
        let dead = counts.filter { $0.status == .dead }.reduce(0) { $0 + $1.count }
        OutputFormat.printTable(table)
        print("\(dead) dead letters waiting")
        hourly.printTable()
    }
}

struct DeadLetterListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "One line per dead letter, most recent failure first.")

    @Option(help: "Only this reason.") var reason: DeadLetterReason?
    @Option(name: .customLong("type"), help: "Only this event type.") var eventType: String?
    @Option(help: "Only this status (dead, replayed, discarded).") var status: DeadLetterStatus?
    @Option(help: "At most this many.") var limit = 100
    @Flag(help: "One JSON object per line.") var json = false
    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be positive") }
    }

    func run() async throws {
        let filter = DeadLetterFilter(reason: reason, eventType: eventType, status: status)
        let records = try withDeadLetterStore(connection) { _, store in try store.list(filter, limit: limit) }
        if json {
            records.forEach { OutputFormat.printJSON(OutputFormat.summary(of: $0)) }
            return
        }
        var table = [["ID", "LAST FAILED", "REASON", "EVENT TYPE", "STATUS", "ATTEMPTS", "EVENT ID", "DETAIL"]]
        for record in records {
            table.append([
                String(record.id.prefix(12)), OutputFormat.time(record.lastFailedAt), record.reason.rawValue, record.eventType ?? "-",
                record.status.rawValue, "\(record.attempts)", OutputFormat.clip(record.eventID ?? "-", 36), OutputFormat.clip(record.detail, 60),
            ])
        }
        OutputFormat.printTable(table)
    }
}

struct DeadLetterShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "One dead letter in full, original body included.")

    @Argument(help: "The dead letter's id, or its first 6+ digits.") var id: String
    @Flag(help: "As one JSON object.") var json = false
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let record = try withDeadLetterStore(connection) { _, store in try store.find(idPrefix: id) }
        if json {
            OutputFormat.printJSON(OutputFormat.full(record))
            return
        }
        let fields: [(String, String)] = [
            ("id", record.id), ("status", record.status.rawValue), ("reason", record.reason.rawValue), ("detail", record.detail),
            ("event id", record.eventID ?? "-"), ("event type", record.eventType ?? "-"), ("queue", record.queue),
            ("routing key", record.routingKey), ("content type", record.contentType ?? "-"), ("attempts", "\(record.attempts)"),
            ("first failed", OutputFormat.time(record.firstFailedAt)), ("last failed", OutputFormat.time(record.lastFailedAt)),
            ("replayed", record.replayedAt.map(OutputFormat.time) ?? "-"),
            ("traceparent", record.trace?.traceParent ?? "-"), ("tracestate", record.trace?.traceState ?? "-"),
            ("headers", OutputFormat.json(record.headers).serialized()),
        ]
        for (name, value) in fields { print("\(name.padding(toLength: 13, withPad: " ", startingAt: 0)) \(value)") }
        if let text = String(validating: record.body, as: UTF8.self) {
            print("body (\(record.body.count) bytes, UTF-8):\n\(text)")
        } else {
            print("body (\(record.body.count) bytes, not UTF-8, base64):\n\(Data(record.body).base64EncodedString())")
        }
    }
}

/// Which dead letters `replay` and `discard` act on: ids, or a filter, or all.
struct DeadLetterSelection: ParsableArguments {
    @Argument(help: "Dead-letter ids (or their first 6+ digits).") var ids: [String] = []
    @Option(help: "Every dead letter with this reason.") var reason: DeadLetterReason?
    @Option(name: .customLong("type"), help: "Every dead letter of this event type.") var eventType: String?
    @Flag(help: "Every dead letter.") var all = false

    func validate() throws {
        let kinds = [!ids.isEmpty, reason != nil || eventType != nil, all].filter { $0 }.count
        guard kinds == 1 else {
            throw ValidationError("name the dead letters: ids, or --reason/--type, or --all (exactly one of these)")
        }
    }

    /// The filter, with ids resolved from their prefixes.
    func filter(in store: DeadLetterStore) throws -> DeadLetterFilter {
        if !ids.isEmpty { return DeadLetterFilter(ids: try ids.map { try store.find(idPrefix: $0).id }) }
        return DeadLetterFilter(reason: reason, eventType: eventType)
    }
}

struct DeadLetterReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Publish dead letters again (original body, headers and routing key), then mark them replayed.",
        discussion: """
            Only dead letters still 'dead' are replayed, so running the same replay twice is safe. \
            --limit and --rate keep a large replay from flooding a system that is recovering.
            """)

    @OptionGroup var selection: DeadLetterSelection
    @Option(help: "At most this many (the first, in id order).") var limit: String?
    @Option(help: "At most this many messages per second (e.g. 50, or 0.5).") var rate: String?
    @Flag(name: .customLong("dry-run"), help: "Only say what would be replayed.") var dryRun = false
    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        _ = try pace()
    }

    /// `--limit` and `--rate` as numbers; a bad value is a usage error (exit 64).
    private func pace() throws -> (limit: Int?, rate: Double?) {
        do {
            return (try limit.map { try ArgumentValue.positiveCount($0, option: "--limit") },
                    try rate.map { try ArgumentValue.positiveRate($0, option: "--rate") })
        } catch let error as InvalidArgumentValue {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let (limit, rate) = try pace()
        let progress = ProgressLine(verb: dryRun ? "checked" : "replayed")
        let count = try withDeadLetterStore(connection) { configuration, store in
            try DeadLetterReplayer(configuration: configuration, store: store).replay(
                try selection.filter(in: store), dryRun: dryRun, limit: limit, rate: rate, progress: progress.update,
                each: { record in
                    if dryRun {
                        print("would replay \(record.id.prefix(12)) \(record.reason.rawValue) \(record.eventType ?? "-") \(record.eventID ?? "-") -> \(record.routingKey)")
                    }
                })
        }
        progress.finish()
        print(dryRun ? "\(count) dead letters would be replayed" : "replayed \(count) dead letters")
    }
}

struct DeadLetterDiscardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discard", abstract: "Mark dead letters discarded (they are kept, for audit).")

    @Argument(help: "Dead-letter ids (or their first 6+ digits).") var ids: [String] = []
    @Option(help: "Every dead letter with this reason.") var reason: DeadLetterReason?
    @Flag(help: "Every dead letter.") var all = false
    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        guard [!ids.isEmpty, reason != nil, all].filter({ $0 }).count == 1 else {
            throw ValidationError("name the dead letters: ids, or --reason, or --all (exactly one of these)")
        }
    }

    func run() async throws {
        let count = try withDeadLetterStore(connection) { _, store in
            let filter = ids.isEmpty ? DeadLetterFilter(reason: reason) : DeadLetterFilter(ids: try ids.map { try store.find(idPrefix: $0).id })
            return try store.discard(filter, now: Timestamp.now().millisecondsSinceEpoch)
        }
        print("discarded \(count) dead letters")
    }
}
