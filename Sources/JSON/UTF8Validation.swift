/// Strict UTF-8 validation (RFC 3629, Unicode table 3-7): rejects overlong forms,
/// UTF-16 surrogates encoded in UTF-8, code points above U+10FFFF and truncated sequences.
enum UTF8Validation {
    /// The offset of the first byte of the first invalid sequence, or nil if `bytes` is valid.
    static func firstInvalidOffset(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let count = bytes.count
        var position = 0
        while position < count {
            // Skip ASCII eight bytes at a time.
            while position + 8 <= count {
                let word = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 != 0 { break }
                position += 8
            }
            guard position < count else { return nil }
            let lead = base[position]
            if lead < 0x80 {
                position += 1
                continue
            }
            guard let length = sequenceLength(base: base, count: count, at: position) else {
                return position
            }
            position += length
        }
        return nil
    }

    /// The length of the valid multi-byte sequence starting at `position`, or nil.
    @inline(__always)
    private static func sequenceLength(
        base: UnsafePointer<UInt8>, count: Int, at position: Int
    ) -> Int? {
        let lead = base[position]
        let length: Int
        // The allowed range of the second byte depends on the lead byte.
        var secondLow: UInt8 = 0x80
        var secondHigh: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondLow = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondHigh = 0x9F
        case 0xF0: length = 4; secondLow = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondHigh = 0x8F
        default: return nil
        }
        guard position + length <= count else { return nil }
        let second = base[position + 1]
        guard second >= secondLow && second <= secondHigh else { return nil }
        var offset = 2
        while offset < length {
            guard base[position + offset] & 0xC0 == 0x80 else { return nil }
            offset += 1
        }
        return length
    }
}
