// BSON encoding and decoding in Swift (bsonspec.org, v1.1), so that a document crosses the C
// boundary as one contiguous buffer instead of one C call per element.

extension BSONDocument {
    /// This document encoded as BSON.
    ///
    /// - Throws: ``MongoError`` of kind ``MongoError/Kind/invalidArgument`` when a key contains a
    ///   NUL byte or the document exceeds the BSON size limit of 2 GiB.
    public func bsonBytes() throws -> [UInt8] {
        var writer = BSONWriter()
        try writer.appendDocument(self)
        return writer.bytes
    }

    /// Decodes one BSON document that occupies all of `bytes`.
    ///
    /// - Throws: ``MongoError`` of kind ``MongoError/Kind/invalidBSON`` when the bytes are not
    ///   one well-formed document.
    public init(bsonBytes bytes: [UInt8]) throws {
        self = try bytes.withUnsafeBytes { try BSONDocument(bsonBuffer: $0) }
    }

    /// Decodes the document that occupies all of `buffer` (copied out; the buffer may be freed after).
    init(bsonBuffer buffer: UnsafeRawBufferPointer) throws {
        let reader = BSONReader(buffer: buffer)
        let (document, end) = try reader.readDocument(at: 0, depth: 0)
        guard end == buffer.count else { throw BSONReader.malformed("trailing bytes after the document") }
        self = document
    }
}

// MARK: - Writer

struct BSONWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    /// Empties the buffer, keeping its capacity for the next document.
    mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
    }

    mutating func appendDocument(_ document: BSONDocument) throws {
        let start = beginDocument()
        for (key, value) in zip(document.keys, document.values) {
            try appendElement(key: key, value: value)
        }
        try endDocument(start: start)
    }

    mutating func appendArray(_ values: [BSONValue]) throws {
        let start = beginDocument()
        for (index, value) in values.enumerated() {
            bytes.append(value.typeCode)
            appendDecimal(index)
            bytes.append(0)
            try appendValue(value)
        }
        try endDocument(start: start)
    }

    private mutating func beginDocument() -> Int {
        let start = bytes.count
        appendInt32(0)  // patched by endDocument
        return start
    }

    private mutating func endDocument(start: Int) throws {
        bytes.append(0)
        let length = bytes.count - start
        guard let length32 = Int32(exactly: length) else {
            throw MongoError(kind: .invalidArgument, message: "document exceeds the BSON size limit")
        }
        withUnsafeBytes(of: length32.littleEndian) { raw in
            for (offset, byte) in raw.enumerated() { bytes[start + offset] = byte }
        }
    }

    private mutating func appendElement(key: String, value: BSONValue) throws {
        bytes.append(value.typeCode)
        let keyStart = bytes.count
        bytes.append(contentsOf: key.utf8)
        if bytes[keyStart...].contains(0) {
            throw MongoError(kind: .invalidArgument, message: "document key contains a NUL byte")
        }
        bytes.append(0)
        try appendValue(value)
    }

    private mutating func appendValue(_ value: BSONValue) throws {
        switch value {
        case .double(let double): appendUInt64(double.bitPattern)
        case .string(let string): try appendString(string)
        case .document(let document): try appendDocument(document)
        case .array(let values): try appendArray(values)
        case .binary(let data, let subtype):
            if subtype == 0x02 {  // the deprecated "old binary" repeats the length inside
                try appendLength(data.count + 4)
                bytes.append(subtype)
                try appendLength(data.count)
            } else {
                try appendLength(data.count)
                bytes.append(subtype)
            }
            bytes.append(contentsOf: data)
        case .objectID(let id): bytes.append(contentsOf: id.bytes)
        case .bool(let bool): bytes.append(bool ? 1 : 0)
        case .date(let millis): appendUInt64(UInt64(bitPattern: millis))
        case .null: break
        case .int32(let int): appendInt32(int)
        case .int64(let int): appendUInt64(UInt64(bitPattern: int))
        case .unsupported(_, let raw): bytes.append(contentsOf: raw)
        }
    }

    private mutating func appendString(_ string: String) throws {
        let utf8 = string.utf8
        try appendLength(utf8.count + 1)
        bytes.append(contentsOf: utf8)
        bytes.append(0)
    }

    private mutating func appendLength(_ length: Int) throws {
        guard let length32 = Int32(exactly: length) else {
            throw MongoError(kind: .invalidArgument, message: "value exceeds the BSON size limit")
        }
        appendInt32(length32)
    }

    private mutating func appendInt32(_ value: Int32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    private mutating func appendUInt64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    private mutating func appendDecimal(_ value: Int) {
        if value >= 10 { appendDecimal(value / 10) }
        bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
    }
}

extension BSONValue {
    /// The BSON element type byte.
    var typeCode: UInt8 {
        switch self {
        case .double: return 0x01
        case .string: return 0x02
        case .document: return 0x03
        case .array: return 0x04
        case .binary: return 0x05
        case .objectID: return 0x07
        case .bool: return 0x08
        case .date: return 0x09
        case .null: return 0x0A
        case .int32: return 0x10
        case .int64: return 0x12
        case .unsupported(let code, _): return code
        }
    }
}

// MARK: - Reader

/// Reads BSON from a buffer, checking every length against the bounds it must fit in.
struct BSONReader {
    let buffer: UnsafeRawBufferPointer

    /// Deeper nesting than this is refused rather than recursed into (MongoDB allows 100 levels).
    static let maximumDepth = 200

    static func malformed(_ what: String) -> MongoError {
        MongoError(kind: .invalidBSON, message: "malformed BSON: \(what)")
    }

    /// Reads the document starting at `start`; returns it and the offset just past it.
    func readDocument(at start: Int, depth: Int) throws -> (BSONDocument, end: Int) {
        var keys: [String] = []
        var values: [BSONValue] = []
        let end = try readElements(at: start, depth: depth) { key, value in
            keys.append(key)
            values.append(value)
        }
        return (BSONDocument(uncheckedKeys: keys, values: values), end)
    }

    private func readArray(at start: Int, depth: Int) throws -> ([BSONValue], end: Int) {
        var values: [BSONValue] = []
        let end = try readElements(at: start, depth: depth) { _, value in values.append(value) }
        return (values, end)
    }

    private func readElements(
        at start: Int, depth: Int, _ element: (String, BSONValue) -> Void
    ) throws -> Int {
        guard depth <= Self.maximumDepth else { throw Self.malformed("nesting too deep") }
        let length = Int(try int32(at: start, limit: buffer.count))
        guard length >= 5, length <= buffer.count - start else { throw Self.malformed("bad document length") }
        let last = start + length - 1  // the terminating NUL
        guard buffer[last] == 0 else { throw Self.malformed("document not NUL-terminated") }
        var position = start + 4
        while position < last {
            let type = buffer[position]
            let (key, valueStart) = try cString(at: position + 1, limit: last)
            let (value, next) = try readValue(type: type, at: valueStart, limit: last, depth: depth)
            element(key, value)
            position = next
        }
        guard position == last else { throw Self.malformed("element overruns its document") }
        return last + 1
    }

    // swiftlint:disable:next cyclomatic_complexity
    private func readValue(type: UInt8, at start: Int, limit: Int, depth: Int) throws -> (BSONValue, Int) {
        switch type {
        case 0x01:
            return (.double(Double(bitPattern: try uint64(at: start, limit: limit))), start + 8)
        case 0x02:
            let (string, end) = try string(at: start, limit: limit)
            return (.string(string), end)
        case 0x03:
            let (document, end) = try readDocument(at: start, depth: depth + 1)
            guard end <= limit else { throw Self.malformed("embedded document overruns") }
            return (.document(document), end)
        case 0x04:
            let (values, end) = try readArray(at: start, depth: depth + 1)
            guard end <= limit else { throw Self.malformed("array overruns") }
            return (.array(values), end)
        case 0x05:
            let length = Int(try int32(at: start, limit: limit))
            let dataStart = start + 5
            guard length >= 0, dataStart + length <= limit else { throw Self.malformed("bad binary length") }
            let subtype = buffer[start + 4]
            var data = Array(buffer[dataStart..<(dataStart + length)])
            if subtype == 0x02 {
                guard length >= 4, Int(try int32(at: dataStart, limit: limit)) == length - 4 else {
                    throw Self.malformed("bad old-binary length")
                }
                data.removeFirst(4)
            }
            return (.binary(bytes: data, subtype: subtype), dataStart + length)
        case 0x07:
            guard start + 12 <= limit else { throw Self.malformed("truncated ObjectId") }
            return (.objectID(ObjectID(bytes: buffer[start..<(start + 12)])!), start + 12)
        case 0x08:
            guard start < limit, buffer[start] <= 1 else { throw Self.malformed("bad boolean") }
            return (.bool(buffer[start] == 1), start + 1)
        case 0x09:
            return (.date(millisecondsSinceEpoch: Int64(bitPattern: try uint64(at: start, limit: limit))), start + 8)
        case 0x0A:
            return (.null, start)
        case 0x10:
            return (.int32(try int32(at: start, limit: limit)), start + 4)
        case 0x12:
            return (.int64(Int64(bitPattern: try uint64(at: start, limit: limit))), start + 8)
        default:
            let end = try endOfUnsupported(type: type, at: start, limit: limit)
            return (.unsupported(typeCode: type, bytes: Array(buffer[start..<end])), end)
        }
    }

    /// Where a value of a type without its own case ends, so it can be kept verbatim.
    private func endOfUnsupported(type: UInt8, at start: Int, limit: Int) throws -> Int {
        let end: Int
        switch type {
        case 0x06, 0x7F, 0xFF: end = start  // undefined, max key, min key
        case 0x0B:  // regex: pattern and options, two C strings
            let (_, afterPattern) = try cString(at: start, limit: limit)
            end = try cString(at: afterPattern, limit: limit).1
        case 0x0C:  // DBPointer: string then ObjectId
            end = try string(at: start, limit: limit).1 + 12
        case 0x0D, 0x0E:  // JavaScript code, symbol
            end = try string(at: start, limit: limit).1
        case 0x0F:  // code with scope: total length first
            let length = Int(try int32(at: start, limit: limit))
            guard length >= 14 else { throw Self.malformed("bad code-with-scope length") }
            end = start + length
        case 0x11: end = start + 8  // timestamp
        case 0x13: end = start + 16  // decimal128
        default: throw Self.malformed("unknown element type \(type)")
        }
        guard end <= limit else { throw Self.malformed("value overruns its document") }
        return end
    }

    private func int32(at offset: Int, limit: Int) throws -> Int32 {
        guard offset >= 0, offset + 4 <= limit else { throw Self.malformed("truncated int32") }
        return Int32(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: Int32.self))
    }

    private func uint64(at offset: Int, limit: Int) throws -> UInt64 {
        guard offset + 8 <= limit else { throw Self.malformed("truncated 64-bit value") }
        return UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// A length-prefixed, NUL-terminated string; returns it and the offset past it.
    private func string(at start: Int, limit: Int) throws -> (String, Int) {
        let length = Int(try int32(at: start, limit: limit))
        let textStart = start + 4
        guard length >= 1, textStart + length <= limit, buffer[textStart + length - 1] == 0 else {
            throw Self.malformed("bad string length")
        }
        let text = UnsafeRawBufferPointer(rebasing: buffer[textStart..<(textStart + length - 1)])
        return (String(decoding: text, as: UTF8.self), textStart + length)
    }

    /// A NUL-terminated key; returns it and the offset past its NUL.
    private func cString(at start: Int, limit: Int) throws -> (String, Int) {
        var end = start
        while end < limit, buffer[end] != 0 { end += 1 }
        guard end < limit else { throw Self.malformed("unterminated key") }
        let text = UnsafeRawBufferPointer(rebasing: buffer[start..<end])
        return (String(decoding: text, as: UTF8.self), end + 1)
    }
}
