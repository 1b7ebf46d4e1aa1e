/// A strict RFC 8259 parser.
///
/// Beyond the grammar it rejects: invalid UTF-8 anywhere in the input (checked first, so it
/// wins over syntax errors), a leading byte order mark, duplicate object keys, numbers that
/// overflow a double, lone surrogate escapes, and nesting deeper than `JSONLimits.maxDepth`.
/// Any value may be at the top level. It uses no recursion and no Foundation.
public enum JSONParser {
    /// Parses a complete document from raw bytes.
    public static func parse(
        _ buffer: UnsafeRawBufferPointer, limits: JSONLimits = .default
    ) throws(JSONParseError) -> JSONValue {
        try parse(buffer.assumingMemoryBound(to: UInt8.self), limits: limits)
    }

    /// Parses a complete document from a byte buffer.
    public static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>, limits: JSONLimits = .default
    ) throws(JSONParseError) -> JSONValue {
        if let maxBytes = limits.maxBytes, bytes.count > maxBytes {
            throw JSONParseError(.inputTooLarge, at: maxBytes)
        }
        if let offset = UTF8Validation.firstInvalidOffset(in: bytes) {
            throw JSONParseError(.invalidUTF8, at: offset)
        }
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
            throw JSONParseError(.byteOrderMark, at: 0)
        }
        var parser = DocumentParser(bytes: bytes, maxDepth: limits.maxDepth, knownKeys: limits.knownKeys)
        return try parser.parseDocument()
    }

    /// Parses a complete document from an array of bytes.
    public static func parse(
        _ bytes: [UInt8], limits: JSONLimits = .default
    ) throws(JSONParseError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { (buffer) throws(JSONParseError) in
            try parse(buffer, limits: limits)
        }
    }

    /// Parses a complete document from any collection of bytes (copied if not contiguous).
    public static func parse(
        _ bytes: some Collection<UInt8>, limits: JSONLimits = .default
    ) throws(JSONParseError) -> JSONValue {
        let result = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(JSONParseError) in try parse(buffer, limits: limits) }
        }
        return try (result ?? Result { () throws(JSONParseError) in
            try parse(Array(bytes), limits: limits)
        }).get()
    }

    /// Parses a complete document from the UTF-8 of a string.
    public static func parse(
        _ text: String, limits: JSONLimits = .default
    ) throws(JSONParseError) -> JSONValue {
        var text = text
        return try text.withUTF8 { buffer in
            Result { () throws(JSONParseError) in try parse(buffer, limits: limits) }
        }.get()
    }
}
