import JSON
import Testing

@Suite("Depth and size limits")
struct LimitsTests {
    @Test func nestingAtTheLimitParsesAndOneMoreIsTooDeep() throws {
        let atLimit = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(parseError(atLimit) == nil)
        let beyond = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(parseError(beyond) == JSONParseError(.tooDeep, at: 64))
    }

    @Test func emptyContainerCountsTowardDepth() {
        let limits = JSONLimits(maxDepth: 2)
        #expect(parseError(#"{"a": []}"#, limits: limits) == nil)
        #expect(parseError(#"{"a": [[]]}"#, limits: limits) == JSONParseError(.tooDeep, at: 7))
        #expect(parseError(#"{"a": {"b": {}}}"#, limits: limits) == JSONParseError(.tooDeep, at: 12))
    }

    @Test func mebibyteOfOpenBracketsFailsFastWithoutStackOverflow() {
        let bytes = [UInt8](repeating: 0x5B, count: 1 << 20)
        #expect(parseError(bytes) == JSONParseError(.tooDeep, at: 64))
        let unlimited = JSONLimits(maxDepth: .max)
        #expect(parseError(bytes, limits: unlimited) == JSONParseError(.unexpectedEnd, at: 1 << 20))
    }

    @Test func veryDeepDocumentParsesIterativelyWhenAllowed() throws {
        let depth = 100_000
        let text = String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth)
        var value = try parse(text, limits: JSONLimits(maxDepth: depth))
        var levels = 0
        while case .array(let elements) = value, let first = elements.first {
            value = first
            levels += 1
        }
        #expect(levels == depth)
        #expect(value == .integer(1))
    }

    @Test func maxBytesRejectsLargerInputBeforeParsing() {
        let limits = JSONLimits(maxBytes: 8)
        #expect(parseError("[1,2,3]", limits: limits) == nil)
        #expect(parseError("[1,2,3,4]", limits: limits) == JSONParseError(.inputTooLarge, at: 8))
    }

    @Test func largeDocumentParses() throws {
        let string = String(repeating: "x", count: 4 << 20)
        let value = try parse("[\"\(string)\"]")
        #expect(value.arrayValue?.first?.stringValue?.utf8.count == 4 << 20)
    }
}
