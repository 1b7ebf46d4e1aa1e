import Foundation
import JSON
import JobHuntEvents
import JobHuntStore
import MongoClient

/// How the CLI prints: aligned tables for people, one JSON object per line for scripts.
enum OutputFormat {
    /// Prints rows as columns padded to their widest cell; the first row is the header.
    static func printTable(_ rows: [[String]]) {
        guard let header = rows.first else { return }
        var widths = header.map(\.count)
        for row in rows { for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) } }
        for row in rows {
            let cells = row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }
            print(cells.joined(separator: "  "))
        }
    }

    /// Prints one compact JSON object on its own line.
    static func printJSON(_ object: JSONObject) {
        print(JSONValue.object(object).serialized())
    }

    /// An RFC 3339 time of milliseconds since the epoch.
    static func time(_ milliseconds: Int64) -> String {
        Timestamp(millisecondsSinceEpoch: milliseconds).rfc3339
    }

    /// `text` on one line, cut to `limit` characters with an ellipsis.
    static func clip(_ text: String, _ limit: Int) -> String {
        let line = text.replacingOccurrences(of: "\n", with: " ")
        return line.count <= limit ? line : String(line.prefix(limit - 1)) + "…"
    }

    /// A record without its body, for `dlq list --json`.
    static func summary(of record: DeadLetter) -> JSONObject {
        JSONObject([
            (key: "id", value: .string(record.id)),
            (key: "event_id", value: record.eventID.map(JSONValue.string) ?? .null),
            (key: "event_type", value: record.eventType.map(JSONValue.string) ?? .null),
            (key: "reason", value: .string(record.reason.rawValue)),
            (key: "detail", value: .string(record.detail)),
            (key: "status", value: .string(record.status.rawValue)),
            (key: "attempts", value: .integer(Int64(record.attempts))),
            (key: "queue", value: .string(record.queue)),
            (key: "routing_key", value: .string(record.routingKey)),
            (key: "first_failed_at", value: .string(time(record.firstFailedAt))),
            (key: "last_failed_at", value: .string(time(record.lastFailedAt))),
            (key: "replayed_at", value: record.replayedAt.map { .string(time($0)) } ?? .null),
        ])
    }

    /// A record with its headers and body, for `dlq show --json`: the body as base64 (exact),
    /// and as text too when it is valid UTF-8.
    static func full(_ record: DeadLetter) -> JSONObject {
        var members = summary(of: record).members.map { (key: $0.key, value: $0.value) }
        members.append((key: "content_type", value: record.contentType.map(JSONValue.string) ?? .null))
        members.append((key: "traceparent", value: record.trace.map { .string($0.traceParent) } ?? .null))
        members.append((key: "tracestate", value: record.trace?.traceState.map(JSONValue.string) ?? .null))
        members.append((key: "headers", value: json(record.headers)))
        members.append((key: "body_size", value: .integer(Int64(record.body.count))))
        members.append((key: "body_base64", value: .string(Data(record.body).base64EncodedString())))
        members.append((key: "body_text", value: String(validating: record.body, as: UTF8.self).map(JSONValue.string) ?? .null))
        return JSONObject(members)
    }

    /// A BSON document as JSON (dates as RFC 3339 strings, binary as base64).
    static func json(_ document: BSONDocument) -> JSONValue {
        .object(JSONObject(document.map { (key: $0.key, value: json($0.value)) }))
    }

    private static func json(_ value: BSONValue) -> JSONValue {
        switch value {
        case .double(let number): return .double(number)
        case .string(let text): return .string(text)
        case .document(let document): return json(document)
        case .array(let items): return .array(items.map(json))
        case .binary(let bytes, _): return .string(Data(bytes).base64EncodedString())
        case .objectID(let id): return .string(id.hex)
        case .bool(let flag): return .bool(flag)
        case .date(let milliseconds): return .string(time(milliseconds))
        case .int32(let number): return .integer(Int64(number))
        case .int64(let number): return .integer(number)
        default: return .null
        }
    }
}

/// Progress of a long operation on standard error, rewritten in place, only on a terminal.
final class ProgressLine: @unchecked Sendable {
    // @unchecked: used from the one thread that runs the command.
    private let verb: String
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private var shown = false

    init(verb: String) { self.verb = verb }

    func update(_ done: Int, _ total: Int) {
        guard isTerminal else { return }
        FileHandle.standardError.write(Data("\r\(verb) \(done)/\(total)".utf8))
        shown = true
    }

    func finish() {
        if shown { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
