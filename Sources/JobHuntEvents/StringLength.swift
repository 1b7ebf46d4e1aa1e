/// Length checks that count Unicode scalars, as JSON Schema's `maxLength` does.
enum StringLength {
    /// Nil if `string` has an allowed length, else a phrase such as "must not be empty".
    static func problem(_ string: String, allowed: ClosedRange<Int>) -> String? {
        let byteCount = string.utf8.count
        if byteCount == 0 {
            return allowed.lowerBound > 0 ? "must not be empty" : nil
        }
        // A non-empty string has 1...byteCount scalars: no need to count them here.
        if byteCount <= allowed.upperBound && allowed.lowerBound <= 1 { return nil }
        let scalarCount = string.unicodeScalars.count
        if scalarCount < allowed.lowerBound {
            return "must have at least \(allowed.lowerBound) characters"
        }
        if scalarCount > allowed.upperBound {
            return "must have at most \(allowed.upperBound) characters"
        }
        return nil
    }
}
