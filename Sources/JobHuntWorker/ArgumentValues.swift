/// The values operators type for `dlq replay --limit/--rate` and `dlq purge --older-than`,
/// checked here, in one place, so that the commands and their tests agree on what is accepted.
/// Every rejection is a usage error (exit 64) with the message of `InvalidArgumentValue`.
public enum ArgumentValue {
    /// A whole number of things, at least 1 (`--limit 500`). Digits only: `0`, `-3`, `1e3` and
    /// `ten` are refused rather than guessed at.
    public static func positiveCount(_ text: String, option: String) throws(InvalidArgumentValue) -> Int {
        guard isDigits(text), let value = Int(text), value > 0 else {
            throw InvalidArgumentValue("\(option) must be a whole number of at least 1, not '\(text)'")
        }
        return value
    }

    /// A rate per second above 0 (`--rate 50`, `--rate 0.5`): digits with at most one decimal
    /// point, so `nan`, `inf` and hexadecimal, which `Double(_:)` would accept, are refused.
    public static func positiveRate(_ text: String, option: String) throws(InvalidArgumentValue) -> Double {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.allSatisfy({ isDigits(String($0)) }), let value = Double(text), value.isFinite, value > 0 else {
            throw InvalidArgumentValue("\(option) must be a number of messages per second above 0 (e.g. 50 or 0.5), not '\(text)'")
        }
        return value
    }

    /// A duration of a whole number and one unit, `s`, `m`, `h` or `d` (`45s`, `90m`, `12h`,
    /// `30d`), in milliseconds. Zero and anything longer than about 100 years are refused.
    public static func duration(_ text: String, option: String) throws(InvalidArgumentValue) -> Int64 {
        let units: [Character: Int64] = ["s": 1_000, "m": 60_000, "h": 3_600_000, "d": 86_400_000]
        let problem = InvalidArgumentValue(
            "\(option) must be a whole number followed by s, m, h or d (e.g. 45s, 90m, 12h, 30d), at least 1 and at most 36500d, not '\(text)'")
        guard let unit = text.last, let scale = units[unit] else { throw problem }
        let number = String(text.dropLast())
        guard isDigits(number), let value = Int64(number), value > 0 else { throw problem }
        let (milliseconds, overflow) = value.multipliedReportingOverflow(by: scale)
        guard !overflow, milliseconds <= 36_500 * 86_400_000 else { throw problem }
        return milliseconds
    }

    private static func isDigits(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { (48...57).contains($0) }
    }
}

/// A value an operator typed that a command cannot use; `description` says what it expects.
public struct InvalidArgumentValue: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }
}
