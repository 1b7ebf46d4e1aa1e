/// An ordered BSON document: a sequence of `(key, value)` pairs.
///
/// Order is significant, as it is in BSON: two documents are equal only when they hold the same
/// keys in the same order with equal values. Setting an existing key through the subscript
/// replaces its value in place; a new key is appended; assigning `nil` removes the key.
/// Lookups are linear, which suits the small documents this worker handles.
///
/// Keys may be any string except one containing a NUL byte (BSON keys are C strings): encoding
/// such a document fails with ``MongoError/Kind/invalidArgument``.
public struct BSONDocument: Sendable, Hashable {
    private var keyList: [String]
    private var valueList: [BSONValue]

    /// An empty document.
    public init() {
        keyList = []
        valueList = []
    }

    /// A document with these pairs, in this order. A repeated key keeps its first position and
    /// its last value.
    public init(_ pairs: some Sequence<(String, BSONValue)>) {
        self.init()
        for (key, value) in pairs { self[key] = value }
    }

    /// A document with exactly these keys and values, duplicates included (decoding only).
    init(uncheckedKeys keys: [String], values: [BSONValue]) {
        keyList = keys
        valueList = values
    }

    /// The keys, in order.
    public var keys: [String] { keyList }

    /// The values, in key order.
    public var values: [BSONValue] { valueList }

    /// The number of keys.
    public var count: Int { keyList.count }

    /// Whether the document has no keys.
    public var isEmpty: Bool { keyList.isEmpty }

    /// Whether `key` is present.
    public func contains(_ key: String) -> Bool { keyList.contains(key) }

    /// The value for `key` (the first one, should the document repeat a key); setting `nil` removes it.
    public subscript(key: String) -> BSONValue? {
        get {
            guard let index = keyList.firstIndex(of: key) else { return nil }
            return valueList[index]
        }
        set {
            if let index = keyList.firstIndex(of: key) {
                if let newValue {
                    valueList[index] = newValue
                } else {
                    keyList.remove(at: index)
                    valueList.remove(at: index)
                }
            } else if let newValue {
                keyList.append(key)
                valueList.append(newValue)
            }
        }
    }

    /// Removes `key` and returns its value, if it was present.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> BSONValue? {
        guard let index = keyList.firstIndex(of: key) else { return nil }
        keyList.remove(at: index)
        return valueList.remove(at: index)
    }

    /// A copy with `key` set to `value` (appended if new).
    public func setting(_ key: String, to value: BSONValue) -> BSONDocument {
        var copy = self
        copy[key] = value
        return copy
    }

    /// Inserts `key` first, as `_id` conventionally is; replaces the value if the key exists.
    mutating func prepend(_ key: String, _ value: BSONValue) {
        if let index = keyList.firstIndex(of: key) {
            valueList[index] = value
        } else {
            keyList.insert(key, at: 0)
            valueList.insert(value, at: 0)
        }
    }
}

// MARK: - Typed getters

extension BSONDocument {
    /// The string at `key`, or `nil` when absent or not a string.
    public func string(_ key: String) -> String? { self[key]?.stringValue }

    /// The integer at `key` when it converts losslessly (int64, int32, integral double).
    public func int64(_ key: String) -> Int64? { self[key]?.int64Value }

    /// The integer at `key` when it fits an `Int32` losslessly.
    public func int32(_ key: String) -> Int32? { self[key]?.int32Value }

    /// The integer at `key` when it converts losslessly.
    public func int(_ key: String) -> Int? { self[key]?.intValue }

    /// The number at `key` as a double when lossless (double, int32, int64 within 2^53).
    public func double(_ key: String) -> Double? { self[key]?.doubleValue }

    /// The boolean at `key`.
    public func bool(_ key: String) -> Bool? { self[key]?.boolValue }

    /// The embedded document at `key`.
    public func document(_ key: String) -> BSONDocument? { self[key]?.documentValue }

    /// The array at `key`.
    public func array(_ key: String) -> [BSONValue]? { self[key]?.arrayValue }

    /// The ObjectId at `key`.
    public func objectID(_ key: String) -> ObjectID? { self[key]?.objectIDValue }

    /// The datetime at `key`, in milliseconds since the epoch.
    public func date(_ key: String) -> Int64? { self[key]?.dateValue }
}

// MARK: - Protocols

extension BSONDocument: ExpressibleByDictionaryLiteral {
    /// A document literal keeps the literal's order. Repeating a key is a programming error.
    public init(dictionaryLiteral elements: (String, BSONValue)...) {
        self.init()
        keyList.reserveCapacity(elements.count)
        valueList.reserveCapacity(elements.count)
        for (key, value) in elements {
            precondition(!keyList.contains(key), "duplicate key in a BSONDocument literal")
            keyList.append(key)
            valueList.append(value)
        }
    }
}

extension BSONDocument: RandomAccessCollection {
    public typealias Element = (key: String, value: BSONValue)
    public typealias Index = Int

    public var startIndex: Int { 0 }
    public var endIndex: Int { keyList.count }

    public subscript(position: Int) -> (key: String, value: BSONValue) {
        (keyList[position], valueList[position])
    }
}

extension BSONDocument: CustomStringConvertible {
    /// The document's shape only (its keys), never its values: documents carry user data.
    public var description: String { "BSONDocument(keys: \(keyList))" }
}

extension BSONDocument: CustomDebugStringConvertible {
    /// The full content in a JSON-like notation, for debugging and test failures only.
    public var debugDescription: String {
        "{" + zip(keyList, valueList).map { "\"\($0)\": \($1.debugDescription)" }.joined(separator: ", ") + "}"
    }
}

extension BSONValue: CustomDebugStringConvertible {
    /// The value in a JSON-like notation, for debugging and test failures only.
    public var debugDescription: String {
        switch self {
        case .double(let value): return "\(value)"
        case .string(let value): return String(reflecting: value)
        case .document(let value): return value.debugDescription
        case .array(let values): return "[" + values.map(\.debugDescription).joined(separator: ", ") + "]"
        case .binary(let bytes, let subtype): return "Binary(subtype: \(subtype), \(bytes.count) bytes)"
        case .objectID(let value): return "ObjectId(\"\(value.hex)\")"
        case .bool(let value): return "\(value)"
        case .date(let millis): return "Date(\(millis))"
        case .null: return "null"
        case .int32(let value): return "Int32(\(value))"
        case .int64(let value): return "Int64(\(value))"
        case .unsupported(let code, let bytes): return "Unsupported(type: \(code), \(bytes.count) bytes)"
        }
    }
}
