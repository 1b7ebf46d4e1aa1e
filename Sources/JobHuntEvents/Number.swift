import JSON

/// A JSON number that keeps the kind it was written in, so storage can keep int64 vs double.
public enum Number: Sendable, Hashable {
    /// Written without fraction or exponent and fits in `Int64`.
    case integer(Int64)
    /// Any other (finite) number.
    case double(Double)

    /// The value as a `Double` (integers beyond 2^53 round).
    public var doubleValue: Double {
        switch self {
        case .integer(let value): Double(value)
        case .double(let value): value
        }
    }

    /// The number as a JSON value of the same kind.
    public var jsonValue: JSONValue {
        switch self {
        case .integer(let value): .integer(value)
        case .double(let value): .double(value)
        }
    }

    /// True if `self` is less than `other`, comparing integers exactly.
    func isLess(than other: Number) -> Bool {
        if case .integer(let left) = self, case .integer(let right) = other { return left < right }
        return doubleValue < other.doubleValue
    }
}
