extension DocumentParser {
    /// Parses a string starting at its opening quote. The input is already valid UTF-8,
    /// so only quotes, backslashes and control bytes need attention.
    mutating func parseString() throws(JSONParseError) -> String {
        if let plain = try parsePlainString() {
            return String(decoding: plain, as: UTF8.self)
        }
        return try parseEscapedString()
    }

    /// Parses an object key (at its opening quote) and its digest.
    mutating func parseKey() throws(JSONParseError) -> (String, KeyDigest) {
        if let plain = try parsePlainString() {
            let digest = KeyDigest(utf8: plain)
            if let knownKeys, let known = knownKeys.string(utf8: plain, digest: digest) {
                return (known, digest)
            }
            return (String(decoding: plain, as: UTF8.self), digest)
        }
        let key = try parseEscapedString()
        return (key, scratch.withUnsafeBufferPointer { KeyDigest(utf8: $0) })
    }

    /// Consumes a string without escapes and returns its content bytes; returns nil, with
    /// `position` at the opening quote, if the string has escapes.
    @inline(__always)
    private mutating func parsePlainString() throws(JSONParseError) -> UnsafeBufferPointer<UInt8>? {
        let start = position + 1
        let end = findStringSpecialByte(from: start)
        guard end < bytes.count else { throw JSONParseError(.unexpectedEnd, at: end) }
        let byte = bytes[end]
        if byte == ASCII.quote {
            position = end + 1
            return UnsafeBufferPointer(rebasing: bytes[start..<end])
        }
        if byte < ASCII.space {
            throw JSONParseError(.controlCharacterInString, at: end)
        }
        return nil
    }

    /// The offset of the first quote, backslash or control byte at or after `start`
    /// (or `bytes.count`). Checks eight bytes per step while none is present.
    @inline(__always)
    private func findStringSpecialByte(from start: Int) -> Int {
        guard let base = bytes.baseAddress else { return start }
        var offset = start
        let count = bytes.count
        while offset + 8 <= count {
            let word = UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self)
            if Self.wordMayContainSpecialByte(word) { break }
            offset += 8
        }
        while offset < count {
            let byte = base[offset]
            if byte == ASCII.quote || byte == ASCII.backslash || byte < ASCII.space {
                return offset
            }
            offset += 1
        }
        return offset
    }

    /// True if some byte of `word` may be a quote, a backslash or below 0x20
    /// (exact for "none": a false result guarantees none is present).
    @inline(__always)
    private static func wordMayContainSpecialByte(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ value: UInt64) -> Bool { (value &- ones) & ~value & highs != 0 }
        let belowSpace = (word &- ones &* 0x20) & ~word & highs != 0
        return belowSpace
            || hasZeroByte(word ^ (ones &* UInt64(ASCII.quote)))
            || hasZeroByte(word ^ (ones &* UInt64(ASCII.backslash)))
    }

    /// Parses a string with escapes (at its opening quote), decoding it into `scratch`.
    private mutating func parseEscapedString() throws(JSONParseError) -> String {
        scratch.removeAll(keepingCapacity: true)
        position += 1
        while true {
            let chunkStart = position
            let end = findStringSpecialByte(from: chunkStart)
            guard end < bytes.count else { throw JSONParseError(.unexpectedEnd, at: end) }
            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[chunkStart..<end]))
            position = end
            switch bytes[end] {
            case ASCII.quote:
                position += 1
                return String(decoding: scratch, as: UTF8.self)
            case ASCII.backslash:
                try parseEscape()
            default:
                throw JSONParseError(.controlCharacterInString, at: end)
            }
        }
    }

    /// Decodes the escape at `position` (a backslash) and appends its UTF-8 to `scratch`.
    private mutating func parseEscape() throws(JSONParseError) {
        let escapeStart = position
        guard position + 1 < bytes.count else {
            throw JSONParseError(.unexpectedEnd, at: bytes.count)
        }
        let selector = bytes[position + 1]
        position += 2
        switch selector {
        case ASCII.quote, ASCII.backslash, ASCII.slash: scratch.append(selector)
        case ASCII.lowerB: scratch.append(0x08)
        case ASCII.lowerF: scratch.append(0x0C)
        case ASCII.lowerN: scratch.append(ASCII.lineFeed)
        case ASCII.lowerR: scratch.append(ASCII.carriageReturn)
        case ASCII.lowerT: scratch.append(ASCII.tab)
        case ASCII.lowerU: try parseUnicodeEscape(escapeStart: escapeStart)
        default: throw JSONParseError(.invalidEscape, at: escapeStart)
        }
    }

    /// Decodes `\uXXXX` (with `position` after the `u`), pairing surrogates.
    private mutating func parseUnicodeEscape(escapeStart: Int) throws(JSONParseError) {
        let unit = try readHexQuad(escapeStart: escapeStart)
        var scalarValue = UInt32(unit)
        switch unit {
        case 0xD800...0xDBFF:
            // A high surrogate must be followed at once by an escaped low surrogate.
            guard position + 1 < bytes.count,
                bytes[position] == ASCII.backslash, bytes[position + 1] == ASCII.lowerU
            else { throw JSONParseError(.loneSurrogate, at: escapeStart) }
            let lowStart = position
            position += 2
            let low = try readHexQuad(escapeStart: lowStart)
            guard (0xDC00...0xDFFF).contains(low) else {
                throw JSONParseError(.loneSurrogate, at: escapeStart)
            }
            scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
        case 0xDC00...0xDFFF:
            throw JSONParseError(.loneSurrogate, at: escapeStart)
        default:
            break
        }
        appendUTF8(of: scalarValue)
    }

    /// Reads four hex digits at `position`.
    private mutating func readHexQuad(escapeStart: Int) throws(JSONParseError) -> UInt16 {
        guard position + 4 <= bytes.count else {
            throw JSONParseError(.unexpectedEnd, at: bytes.count)
        }
        var unit: UInt16 = 0
        for offset in 0..<4 {
            guard let digit = ASCII.hexValue(bytes[position + offset]) else {
                throw JSONParseError(.invalidEscape, at: escapeStart)
            }
            unit = unit << 4 | UInt16(digit)
        }
        position += 4
        return unit
    }

    /// Appends the UTF-8 encoding of a scalar value (never a surrogate) to `scratch`.
    private mutating func appendUTF8(of value: UInt32) {
        switch value {
        case 0..<0x80:
            scratch.append(UInt8(value))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | value >> 6))
            scratch.append(UInt8(0x80 | value & 0x3F))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | value >> 12))
            scratch.append(UInt8(0x80 | value >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | value & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | value >> 18))
            scratch.append(UInt8(0x80 | value >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | value >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | value & 0x3F))
        }
    }
}
