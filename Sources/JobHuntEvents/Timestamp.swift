/// An instant with millisecond precision: an event's `time` or a job's `posted_date`.
///
/// Ordering is at millisecond precision: two times that differ only below a millisecond
/// are equal here, and the handlers break such ties by event id (contract §5).
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z (negative before).
    public let millisecondsSinceEpoch: Int64

    /// The instant `millisecondsSinceEpoch` ms after the Unix epoch.
    public init(millisecondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    /// The earliest instant parsing accepts: 0001-01-01T00:00:00.000Z.
    public static let earliest = Timestamp(millisecondsSinceEpoch: -62_135_596_800_000)
    /// The latest instant parsing accepts: 9999-12-31T23:59:59.999Z.
    public static let latest = Timestamp(millisecondsSinceEpoch: 253_402_300_799_999)

    /// Earlier instants first.
    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }

    /// UTC, `Z`, exactly three fraction digits: "2026-11-24T10:15:00.000Z".
    /// Valid RFC 3339 for every instant in `earliest...latest` (all that parsing yields);
    /// outside that range the year is written with as many digits (and sign) as it needs.
    public var rfc3339: String {
        // Floor division, written so that no intermediate overflows even at Int64.min/max.
        let truncatedRemainder = millisecondsSinceEpoch % CivilCalendar.millisecondsPerDay
        let days = millisecondsSinceEpoch / CivilCalendar.millisecondsPerDay - (truncatedRemainder < 0 ? 1 : 0)
        var remainder = truncatedRemainder < 0 ? truncatedRemainder + CivilCalendar.millisecondsPerDay : truncatedRemainder
        let date = CivilCalendar.date(daysSinceEpoch: days)
        let millisecond = remainder % 1000
        remainder /= 1000
        let second = remainder % 60
        remainder /= 60
        let minute = remainder % 60
        let hour = remainder / 60

        var text = [UInt8]()
        text.reserveCapacity(24)
        if date.year < 0 { text.append(UInt8(ascii: "-")) }
        appendDigits(date.year.magnitude, width: 4, to: &text)
        text.append(UInt8(ascii: "-"))
        appendDigits(UInt64(date.month), width: 2, to: &text)
        text.append(UInt8(ascii: "-"))
        appendDigits(UInt64(date.day), width: 2, to: &text)
        text.append(UInt8(ascii: "T"))
        appendDigits(UInt64(hour), width: 2, to: &text)
        text.append(UInt8(ascii: ":"))
        appendDigits(UInt64(minute), width: 2, to: &text)
        text.append(UInt8(ascii: ":"))
        appendDigits(UInt64(second), width: 2, to: &text)
        text.append(UInt8(ascii: "."))
        appendDigits(UInt64(millisecond), width: 3, to: &text)
        text.append(UInt8(ascii: "Z"))
        return String(decoding: text, as: UTF8.self)
    }

    /// The RFC 3339 form.
    public var description: String { rfc3339 }
}

/// Appends `value` in decimal, zero-padded to at least `width` digits.
private func appendDigits(_ value: UInt64, width: Int, to text: inout [UInt8]) {
    var digits: [UInt8] = []
    var remaining = value
    repeat {
        digits.append(UInt8(ascii: "0") + UInt8(remaining % 10))
        remaining /= 10
    } while remaining > 0
    if digits.count < width {
        text.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - digits.count))
    }
    text.append(contentsOf: digits.reversed())
}
