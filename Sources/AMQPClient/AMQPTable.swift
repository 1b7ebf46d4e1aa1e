/// An AMQP 0-9-1 field table: message headers, queue and exchange arguments, broker
/// properties. Keys are unique (a decoded table with a repeated key keeps the last value);
/// tables are encoded with their keys in byte order, so the same table always encodes the
/// same way.
public struct AMQPTable: Sendable, Hashable, ExpressibleByDictionaryLiteral, Sequence,
    CustomStringConvertible
{
    /// The entries.
    public var dictionary: [String: AMQPFieldValue]

    /// An empty table.
    public init() { dictionary = [:] }

    /// A table with these entries.
    public init(_ entries: [String: AMQPFieldValue]) { dictionary = entries }

    /// A table literal: `["x-queue-type": "quorum", "x-delivery-limit": 20]`.
    public init(dictionaryLiteral elements: (String, AMQPFieldValue)...) {
        dictionary = Dictionary(elements, uniquingKeysWith: { _, last in last })
    }

    /// The value for a key.
    public subscript(key: String) -> AMQPFieldValue? {
        get { dictionary[key] }
        set { dictionary[key] = newValue }
    }

    /// The number of entries.
    public var count: Int { dictionary.count }
    /// Whether the table has no entries.
    public var isEmpty: Bool { dictionary.isEmpty }
    /// The keys, in byte order.
    public var keys: [String] { dictionary.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } }

    /// Iterates over the entries in key byte order.
    public func makeIterator() -> IndexingIterator<[(key: String, value: AMQPFieldValue)]> {
        dictionary.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }.makeIterator()
    }

    /// `[key: value, …]` in key order.
    public var description: String {
        "[" + map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "]"
    }
}

/// One value in an AMQP field table or field array, with RabbitMQ's type letters.
///
/// Long strings (`S`) decode to `.string` when they are valid UTF-8 and to `.bytes`
/// otherwise; `.bytes` encodes as a byte array (`x`). Use `intValue` to read any integer
/// kind without caring which width the publisher chose.
public enum AMQPFieldValue: Sendable, Hashable, CustomStringConvertible,
    ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByArrayLiteral
{
    /// `t`
    case bool(Bool)
    /// `b`
    case int8(Int8)
    /// `B`
    case uint8(UInt8)
    /// `s` (RabbitMQ's signed 16-bit)
    case int16(Int16)
    /// `u`
    case uint16(UInt16)
    /// `I`
    case int32(Int32)
    /// `i`
    case uint32(UInt32)
    /// `l` (RabbitMQ's signed 64-bit)
    case int64(Int64)
    /// `L` on decode only; encoded as `l` when it fits in `Int64` (RabbitMQ has no unsigned
    /// 64-bit type), else publishing throws `.invalidArgument`.
    case uint64(UInt64)
    /// `f`
    case float(Float)
    /// `d`
    case double(Double)
    /// `D`: `value` × 10^-`scale`.
    case decimal(scale: UInt8, value: UInt32)
    /// `S`, valid UTF-8.
    case string(String)
    /// `x`, or an `S` that is not valid UTF-8.
    case bytes([UInt8])
    /// `T`: seconds since the Unix epoch.
    case timestamp(UInt64)
    /// `A`
    case array([AMQPFieldValue])
    /// `F`
    case table(AMQPTable)
    /// `V`
    case void

    /// A string literal is a `.string`.
    public init(stringLiteral value: String) { self = .string(value) }
    /// An integer literal is an `.int64` (`l`), which RabbitMQ accepts for every numeric
    /// argument such as `x-delivery-limit`.
    public init(integerLiteral value: Int64) { self = .int64(value) }
    /// A boolean literal is a `.bool`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// A float literal is a `.double`.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// An array literal is an `.array`.
    public init(arrayLiteral elements: AMQPFieldValue...) { self = .array(elements) }

    /// Any integer kind as `Int64` (nil for other kinds and for a `uint64` above `Int64.max`).
    public var intValue: Int64? {
        switch self {
        case .int8(let v): return Int64(v)
        case .uint8(let v): return Int64(v)
        case .int16(let v): return Int64(v)
        case .uint16(let v): return Int64(v)
        case .int32(let v): return Int64(v)
        case .uint32(let v): return Int64(v)
        case .int64(let v): return v
        case .uint64(let v): return Int64(exactly: v)
        default: return nil
        }
    }

    /// The text of a `.string`, or of `.bytes` that are valid UTF-8.
    public var stringValue: String? {
        switch self {
        case .string(let s): return s
        case .bytes(let b): return String(validating: b, as: UTF8.self)
        default: return nil
        }
    }

    /// The bytes of a `.bytes` or `.string`.
    public var bytesValue: [UInt8]? {
        switch self {
        case .bytes(let b): return b
        case .string(let s): return Array(s.utf8)
        default: return nil
        }
    }

    /// The value of a `.bool`.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The value of a `.double` or `.float`.
    public var doubleValue: Double? {
        switch self {
        case .double(let d): return d
        case .float(let f): return Double(f)
        default: return nil
        }
    }

    /// The seconds of a `.timestamp`.
    public var timestampValue: UInt64? {
        if case .timestamp(let t) = self { return t }
        return nil
    }

    /// The elements of an `.array`.
    public var arrayValue: [AMQPFieldValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The table of a `.table`.
    public var tableValue: AMQPTable? {
        if case .table(let t) = self { return t }
        return nil
    }

    /// A readable rendering; byte strings show as `bytes(n)`.
    public var description: String {
        switch self {
        case .bool(let v): return "\(v)"
        case .int8(let v): return "\(v)"
        case .uint8(let v): return "\(v)"
        case .int16(let v): return "\(v)"
        case .uint16(let v): return "\(v)"
        case .int32(let v): return "\(v)"
        case .uint32(let v): return "\(v)"
        case .int64(let v): return "\(v)"
        case .uint64(let v): return "\(v)"
        case .float(let v): return "\(v)"
        case .double(let v): return "\(v)"
        case .decimal(let scale, let value): return "decimal(\(value)e-\(scale))"
        case .string(let v): return "\"\(v)\""
        case .bytes(let v): return "bytes(\(v.count))"
        case .timestamp(let v): return "timestamp(\(v))"
        case .array(let v): return "[" + v.map(\.description).joined(separator: ", ") + "]"
        case .table(let v): return v.description
        case .void: return "void"
        }
    }
}
