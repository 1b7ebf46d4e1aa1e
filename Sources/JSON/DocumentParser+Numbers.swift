extension DocumentParser {
    /// Parses a number per RFC 8259: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    /// A literal without fraction or exponent that fits in `Int64` becomes `.integer`;
    /// anything else becomes a correctly rounded `.double`.
    mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = position
        let isNegative = bytes[position] == ASCII.minus
        if isNegative { position += 1 }
        var digits = SignificantDigits()

        // Integer part.
        guard position < bytes.count, ASCII.isDigit(bytes[position]) else {
            throw JSONParseError(position < bytes.count ? .invalidNumber : .unexpectedEnd, at: position)
        }
        if bytes[position] == ASCII.zero {
            position += 1
            if position < bytes.count && ASCII.isDigit(bytes[position]) {
                throw JSONParseError(.invalidNumber, at: position)
            }
        } else {
            while position < bytes.count && ASCII.isDigit(bytes[position]) {
                digits.append(bytes[position] &- ASCII.zero, isFraction: false)
                position += 1
            }
        }
        var isInteger = true

        // Fraction.
        if position < bytes.count && bytes[position] == ASCII.period {
            isInteger = false
            position += 1
            try requireDigit()
            while position < bytes.count && ASCII.isDigit(bytes[position]) {
                digits.append(bytes[position] &- ASCII.zero, isFraction: true)
                position += 1
            }
        }

        // Exponent, saturated far outside the range where it could matter.
        var exponent = 0
        if position < bytes.count && (bytes[position] | 0x20) == ASCII.lowerE {
            isInteger = false
            position += 1
            var isExponentNegative = false
            if position < bytes.count && (bytes[position] == ASCII.plus || bytes[position] == ASCII.minus) {
                isExponentNegative = bytes[position] == ASCII.minus
                position += 1
            }
            try requireDigit()
            while position < bytes.count && ASCII.isDigit(bytes[position]) {
                if exponent < 1_000_000 { exponent = exponent * 10 + Int(bytes[position] &- ASCII.zero) }
                position += 1
            }
            if isExponentNegative { exponent = -exponent }
        }

        if isInteger, let integer = digits.exactInteger(isNegative: isNegative) {
            return .integer(integer)
        }
        let value = digits.fastDouble(exponent: exponent, isNegative: isNegative)
            ?? slowDouble(from: start)
        guard value.isFinite else { throw JSONParseError(.numberOutOfRange, at: start) }
        return .double(value)
    }

    /// Throws unless a digit is at `position`.
    private func requireDigit() throws(JSONParseError) {
        guard position < bytes.count else { throw JSONParseError(.unexpectedEnd, at: position) }
        guard ASCII.isDigit(bytes[position]) else {
            throw JSONParseError(.invalidNumber, at: position)
        }
    }

    /// Correctly rounded conversion of the validated literal `start..<position`
    /// by the standard library (which yields ±infinity on overflow).
    private func slowDouble(from start: Int) -> Double {
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        return Double(text) ?? .nan
    }
}

/// The decimal significand of a number literal, kept exactly while it fits in 19 digits.
struct SignificantDigits {
    /// The significant digits read so far (leading zeros skipped), while exact.
    private(set) var value: UInt64 = 0
    /// How many significant digits were seen.
    private(set) var count = 0
    /// How many of those were after the decimal point.
    private(set) var fractionCount = 0

    @inline(__always)
    mutating func append(_ digit: UInt8, isFraction: Bool) {
        if value == 0 && digit == 0 {
            // A leading zero adds no significance but still shifts the fraction.
            if isFraction { fractionCount += 1 }
            return
        }
        if count < 19 { value = value &* 10 &+ UInt64(digit) }
        count += 1
        if isFraction { fractionCount += 1 }
    }

    /// The integer literal as `Int64`, or nil if it does not fit.
    func exactInteger(isNegative: Bool) -> Int64? {
        guard count <= 19 else { return nil }
        if isNegative {
            guard value <= UInt64(Int64.max) + 1 else { return nil }
            return value == UInt64(Int64.max) + 1 ? Int64.min : -Int64(value)
        }
        guard value <= UInt64(Int64.max) else { return nil }
        return Int64(value)
    }

    /// Clinger's fast path: exact when the significand fits in 53 bits and the power of
    /// ten is exactly representable, so one multiply or divide rounds correctly. Nil otherwise.
    func fastDouble(exponent: Int, isNegative: Bool) -> Double? {
        guard count <= 19, value <= 1 << 53 else { return nil }
        let decimalExponent = exponent - fractionCount
        guard decimalExponent >= -22 && decimalExponent <= 22 else {
            return value == 0 ? (isNegative ? -0.0 : 0.0) : nil
        }
        var result = Double(value)
        if decimalExponent >= 0 {
            result *= Self.powersOfTen[decimalExponent]
        } else {
            result /= Self.powersOfTen[-decimalExponent]
        }
        return isNegative ? -result : result
    }

    /// 1e0 ... 1e22, all exact doubles.
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]
}
