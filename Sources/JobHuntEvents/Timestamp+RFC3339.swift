extension Timestamp {
    /// Parses a strict RFC 3339 `date-time`:
    /// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)`, with `t` and `z` also accepted.
    ///
    /// Years 0001-9999; month, day (leap years included), hour, minute and second are
    /// range-checked; a leap second (`:60`) is rejected; offsets go up to ±23:59. The
    /// fraction (one or more digits) is truncated to milliseconds. The resulting UTC instant
    /// must lie in `earliest...latest`. Returns nil for anything else.
    public init?(rfc3339 text: String) {
        var text = text
        let parsed = text.withUTF8 { bytes in
            var parser = RFC3339Parser(bytes: bytes)
            return parser.parse()
        }
        guard let milliseconds = parsed else {
            return nil
        }
        self.init(millisecondsSinceEpoch: milliseconds)
    }
}

/// A single pass over the bytes of an RFC 3339 date-time.
private struct RFC3339Parser {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Milliseconds since the epoch, or nil if the text is not a valid date-time.
    mutating func parse() -> Int64? {
        guard let year = digits(4), year >= 1, expect("-"),
            let month = digits(2), (1...12).contains(month), expect("-"),
            let day = digits(2), day >= 1, day <= CivilCalendar.daysInMonth(month, year: year),
            expect("T") || expect("t"),
            let hour = digits(2), hour <= 23, expect(":"),
            let minute = digits(2), minute <= 59, expect(":"),
            let second = digits(2), second <= 59,
            let millisecond = fractionInMilliseconds(),
            let offsetMinutes = offsetInMinutes(),
            position == bytes.count
        else { return nil }
        let days = CivilCalendar.daysSinceEpoch(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60
        let milliseconds = seconds * 1000 + millisecond
        guard (Timestamp.earliest.millisecondsSinceEpoch...Timestamp.latest.millisecondsSinceEpoch)
            .contains(milliseconds)
        else { return nil }
        return milliseconds
    }

    /// An optional `.` and one or more digits, truncated to milliseconds; 0 if absent.
    private mutating func fractionInMilliseconds() -> Int64? {
        guard expect(".") else { return 0 }
        var milliseconds: Int64 = 0
        var count = 0
        while position < bytes.count, let digit = digitValue(bytes[position]) {
            if count < 3 { milliseconds = milliseconds * 10 + digit }
            count += 1
            position += 1
        }
        guard count > 0 else { return nil }
        for _ in count..<max(count, 3) { milliseconds *= 10 }
        return milliseconds
    }

    /// `Z`/`z` (0) or `±HH:MM` as signed minutes east of UTC.
    private mutating func offsetInMinutes() -> Int64? {
        if expect("Z") || expect("z") { return 0 }
        let sign: Int64
        if expect("+") {
            sign = 1
        } else if expect("-") {
            sign = -1
        } else {
            return nil
        }
        guard let hours = digits(2), hours <= 23, expect(":"),
            let minutes = digits(2), minutes <= 59
        else { return nil }
        return sign * (hours * 60 + minutes)
    }

    /// Exactly `count` decimal digits as a number.
    private mutating func digits(_ count: Int) -> Int64? {
        guard position + count <= bytes.count else { return nil }
        var value: Int64 = 0
        for offset in 0..<count {
            guard let digit = digitValue(bytes[position + offset]) else { return nil }
            value = value * 10 + digit
        }
        position += count
        return value
    }

    /// Consumes `character` if it is next.
    private mutating func expect(_ character: Unicode.Scalar) -> Bool {
        guard position < bytes.count, bytes[position] == UInt8(ascii: character) else { return false }
        position += 1
        return true
    }

    private func digitValue(_ byte: UInt8) -> Int64? {
        let value = byte &- UInt8(ascii: "0")
        return value < 10 ? Int64(value) : nil
    }
}
