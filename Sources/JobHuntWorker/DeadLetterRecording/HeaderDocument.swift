import AMQPClient
import MongoClient

/// AMQP headers as a BSON document and back: a dead-letter record keeps its message's headers
/// (`MongoDeadLetterRecorder`), and a replay sends them again (`DeadLetter.amqpHeaders`).
///
/// A key that MongoDB would take for an operator or a path (leading `$`, any `.` or NUL), and
/// any key containing `%`, is stored percent-escaped (`%24`, `%2E`, `%00`, `%25`); keys without
/// those characters are stored as they are, so the mapping is exact both ways.
enum HeaderDocument {
    static func document(from table: AMQPTable) -> BSONDocument {
        BSONDocument(table.map { (escape($0.key), bson($0.value)) })
    }

    static func table(from document: BSONDocument) -> AMQPTable {
        var table = AMQPTable()
        for (key, value) in document { table[unescape(key)] = field(value) }
        return table
    }

    private static func bson(_ value: AMQPFieldValue) -> BSONValue {
        switch value {
        case .bool(let flag): return .bool(flag)
        case .float(let number): return .double(Double(number))
        case .double(let number): return .double(number)
        case .decimal(let scale, let unscaled): return .string(decimalText(scale: scale, value: unscaled))
        case .string(let text): return .string(text)
        case .bytes(let bytes): return .binary(bytes: bytes, subtype: 0)
        case .timestamp(let seconds): return .date(millisecondsSinceEpoch: Int64(clamping: seconds) &* 1000)
        case .array(let items): return .array(items.map(bson))
        case .table(let table): return .document(document(from: table))
        case .void: return .null
        default: return value.intValue.map(BSONValue.int64) ?? .null
        }
    }

    private static func field(_ value: BSONValue) -> AMQPFieldValue {
        switch value {
        case .bool(let flag): return .bool(flag)
        case .double(let number): return .double(number)
        case .string(let text): return .string(text)
        case .binary(let bytes, _): return .bytes(bytes)
        case .date(let milliseconds): return .timestamp(UInt64(clamping: milliseconds / 1000))
        case .array(let items): return .array(items.map(field))
        case .document(let document): return .table(table(from: document))
        case .int32(let number): return .int32(number)
        case .int64(let number): return .int64(number)
        case .objectID(let id): return .string(id.hex)
        default: return .void
        }
    }

    private static func decimalText(scale: UInt8, value: UInt32) -> String {
        var digits = String(value)
        guard scale > 0 else { return digits }
        while digits.count <= Int(scale) { digits = "0" + digits }
        digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -Int(scale)))
        return digits
    }

    static func escape(_ key: String) -> String {
        guard key.hasPrefix("$") || key.contains(where: { $0 == "." || $0 == "%" || $0 == "\0" }) else { return key }
        var escaped = ""
        for (offset, character) in key.enumerated() {
            switch character {
            case "%": escaped += "%25"
            case ".": escaped += "%2E"
            case "\0": escaped += "%00"
            case "$" where offset == 0: escaped += "%24"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    static func unescape(_ key: String) -> String {
        guard key.contains("%") else { return key }
        return key.replacingEscapes()
    }
}

private extension String {
    /// `%25`, `%2E`, `%00` and `%24` back to their characters.
    func replacingEscapes() -> String {
        var result = ""
        var rest = Substring(self)
        while let percent = rest.firstIndex(of: "%") {
            result += rest[..<percent]
            let code = rest[percent...].prefix(3)
            switch code {
            case "%25": result += "%"
            case "%2E": result += "."
            case "%00": result += "\0"
            case "%24": result += "$"
            default: result += code
            }
            rest = rest[percent...].dropFirst(code.count)
        }
        return result + rest
    }
}
