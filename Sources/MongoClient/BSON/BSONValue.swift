/// One BSON value.
///
/// Equality is structural and type-exact: `.int32(1)`, `.int64(1)` and `.double(1)` are three
/// different values (use the lossless accessors such as ``int64Value`` to compare numbers).
/// Doubles compare as Swift `Double`s, so `.double(.nan) != .double(.nan)`.
///
/// BSON types without a case of their own (decimal128, timestamp, regular expression,
/// JavaScript code, symbol, DBPointer, undefined, min/max key) decode as
/// ``unsupported(typeCode:bytes:)``, which keeps the element's raw value bytes so the value is
/// written back unchanged when the document is stored again.
public indirect enum BSONValue: Sendable, Hashable {
    case double(Double)
    case string(String)
    case document(BSONDocument)
    case array([BSONValue])
    /// Binary data with its BSON subtype (0 = generic, 4 = UUID, ...).
    case binary(bytes: [UInt8], subtype: UInt8)
    case objectID(ObjectID)
    case bool(Bool)
    /// A UTC datetime: milliseconds since the Unix epoch.
    case date(millisecondsSinceEpoch: Int64)
    case null
    case int32(Int32)
    case int64(Int64)
    /// A value of a BSON type this module does not model: the type byte and the raw value bytes
    /// (everything after the element's key), re-encoded verbatim.
    case unsupported(typeCode: UInt8, bytes: [UInt8])
}

// MARK: - Literals

extension BSONValue: ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
    public init(stringLiteral value: String) { self = .string(value) }
}

extension BSONValue: ExpressibleByIntegerLiteral {
    /// Integer literals become `.int64`; write `.int32(...)` where a 32-bit integer is wanted.
    public init(integerLiteral value: Int64) { self = .int64(value) }
}

extension BSONValue: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) { self = .double(value) }
}

extension BSONValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension BSONValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: BSONValue...) { self = .array(elements) }
}

extension BSONValue: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, BSONValue)...) {
        self = .document(BSONDocument(elements))
    }
}

// MARK: - Accessors

extension BSONValue {
    /// The string, when this is `.string`.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The value as an `Int64` when that is lossless: `.int64`, `.int32`, or an integral
    /// `.double` within range.
    public var int64Value: Int64? {
        switch self {
        case .int64(let value): return value
        case .int32(let value): return Int64(value)
        case .double(let value): return Int64(exactly: value)
        default: return nil
        }
    }

    /// The value as an `Int32` when that is lossless (`.int32`, or `.int64`/`.double` in range).
    public var int32Value: Int32? {
        switch self {
        case .int32(let value): return value
        case .int64(let value): return Int32(exactly: value)
        case .double(let value): return Int32(exactly: value)
        default: return nil
        }
    }

    /// The value as an `Int` when that is lossless.
    public var intValue: Int? {
        int64Value.flatMap { Int(exactly: $0) }
    }

    /// The value as a `Double` when that is lossless (`.double`, or an integer a double holds exactly).
    public var doubleValue: Double? {
        switch self {
        case .double(let value): return value
        case .int32(let value): return Double(value)
        case .int64(let value): return Double(exactly: value)
        default: return nil
        }
    }

    /// The boolean, when this is `.bool`.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The document, when this is `.document`.
    public var documentValue: BSONDocument? {
        if case .document(let value) = self { return value }
        return nil
    }

    /// The elements, when this is `.array`.
    public var arrayValue: [BSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The ObjectId, when this is `.objectID`.
    public var objectIDValue: ObjectID? {
        if case .objectID(let value) = self { return value }
        return nil
    }

    /// Milliseconds since the epoch, when this is `.date`.
    public var dateValue: Int64? {
        if case .date(let value) = self { return value }
        return nil
    }

    /// The bytes and subtype, when this is `.binary`.
    public var binaryValue: (bytes: [UInt8], subtype: UInt8)? {
        if case .binary(let bytes, let subtype) = self { return (bytes, subtype) }
        return nil
    }

    /// Whether this is `.null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}
