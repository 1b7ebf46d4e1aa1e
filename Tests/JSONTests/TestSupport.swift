import JSON

/// Parses `text`, failing the caller's expectation machinery by rethrowing.
func parse(_ text: String, limits: JSONLimits = .default) throws -> JSONValue {
    try JSONParser.parse(Array(text.utf8), limits: limits)
}

/// The error `JSONParser` reports for `bytes`, or nil if they parse.
func parseError(_ bytes: [UInt8], limits: JSONLimits = .default) -> JSONParseError? {
    do {
        _ = try JSONParser.parse(bytes, limits: limits)
        return nil
    } catch {
        return error
    }
}

/// The error `JSONParser` reports for the UTF-8 of `text`, or nil if it parses.
func parseError(_ text: String, limits: JSONLimits = .default) -> JSONParseError? {
    parseError(Array(text.utf8), limits: limits)
}
