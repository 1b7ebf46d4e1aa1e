import JobHuntEvents
import JobHuntStore
import JSON

/// The by-hour part of `dlq stats`: records by the hour (UTC) of their last failure, over the
/// 24 hours ending with the current one, every hour shown (zeros too) so a burst stands out.
struct HourlyStats {
    static let hours = 24
    private static let hour: Int64 = 3_600_000

    /// The start of the first hour shown: the current hour's start, 23 hours back.
    static func since(now: Int64) -> Int64 {
        now - ((now % hour) + hour) % hour - Int64(hours - 1) * hour
    }

    private let rows: [(start: Int64, counts: [DeadLetterStatus: Int])]

    init(_ counts: [DeadLetterHourCount], now: Int64) {
        let first = Self.since(now: now)
        var byHour: [Int64: [DeadLetterStatus: Int]] = [:]
        for count in counts { byHour[count.hourStart, default: [:]][count.status, default: 0] += count.count }
        rows = (0..<Int64(Self.hours)).map { offset in
            let start = first + offset * Self.hour
            return (start, byHour[start] ?? [:])
        }
    }

    /// One line per hour: `{"hour":"…T14:00:00.000Z","dead":3,"replayed":0,"discarded":1}`.
    /// `hour` (and no `reason`) tells these lines from the by-reason ones.
    func printJSON() {
        for row in rows {
            OutputFormat.printJSON([
                "hour": .string(OutputFormat.time(row.start)), "dead": .integer(Int64(row.counts[.dead] ?? 0)),
                "replayed": .integer(Int64(row.counts[.replayed] ?? 0)), "discarded": .integer(Int64(row.counts[.discarded] ?? 0)),
            ])
        }
    }

    /// A titled table after the by-reason one.
    func printTable() {
        print("\nby hour of last failure, last \(Self.hours) hours (UTC):")
        var table = [["HOUR", "DEAD", "REPLAYED", "DISCARDED"]]
        for row in rows {
            table.append([OutputFormat.time(row.start), "\(row.counts[.dead] ?? 0)", "\(row.counts[.replayed] ?? 0)", "\(row.counts[.discarded] ?? 0)"])
        }
        OutputFormat.printTable(table)
    }
}
