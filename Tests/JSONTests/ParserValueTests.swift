import JSON
import Testing

@Suite("Parsing valid documents")
struct ParserValueTests {
    @Test func literalsAndTopLevelScalars() throws {
        #expect(try parse("null") == .null)
        #expect(try parse("true") == .bool(true))
        #expect(try parse(" \t\r\nfalse\n") == .bool(false))
        #expect(try parse("\"x\"") == .string("x"))
        #expect(try parse("42") == .integer(42))
    }

    @Test func objectKeepsMemberOrderAndLooksUpByKey() throws {
        let value = try parse(#"{"b": 1, "a": [true, null], "c": {"d": "e"}}"#)
        let object = try #require(value.objectValue)
        #expect(object.keys == ["b", "a", "c"])
        #expect(object["a"] == .array([.bool(true), .null]))
        #expect(object["c"]?["d"] == .string("e"))
        #expect(object["missing"] == nil)
    }

    @Test func emptyContainers() throws {
        #expect(try parse("[]") == .array([]))
        #expect(try parse("{ }") == .object(JSONObject()))
        #expect(try parse("[[],{}]") == .array([.array([]), .object(JSONObject())]))
    }

    @Test(arguments: [
        ("0", JSONValue.integer(0)),
        ("-0", .integer(0)),
        ("123", .integer(123)),
        ("-45", .integer(-45)),
        ("9223372036854775807", .integer(.max)),
        ("-9223372036854775808", .integer(.min)),
        ("9223372036854775808", .double(9_223_372_036_854_775_808.0)),
        ("-9223372036854775809", .double(-9_223_372_036_854_775_809.0)),
        ("100000000000000000000", .double(1e20)),
        ("1.0", .double(1.0)),
        ("1e2", .double(100)),
        ("1E+2", .double(100)),
        ("-2.5e-3", .double(-0.0025)),
        ("0.1", .double(0.1)),
        ("0.000123", .double(0.000123)),
        ("1e-400", .double(0)),
        ("2.2250738585072014e-308", .double(2.2250738585072014e-308)),
        ("5e-324", .double(.leastNonzeroMagnitude)),
        ("1.7976931348623157e308", .double(1.7976931348623157e308)),
        ("3.141592653589793238462643383279", .double(3.141592653589793)),
        ("123456789012345678901234567890e-10", .double(12345678901234567890.1234567890)),
        ("9007199254740993.0", .double(9007199254740992)),
    ])
    func numbers(text: String, expected: JSONValue) throws {
        #expect(try parse(text) == expected)
    }

    @Test func negativeZeroDoubleKeepsItsSign() throws {
        let value = try #require(try parse("-0.0").doubleValue)
        #expect(value == 0 && value.sign == .minus)
    }

    @Test func simpleEscapes() throws {
        #expect(try parse(#""a\"b\\c\/d\be\ff\ng\rh\ti""#) == .string("a\"b\\c/d\u{08}e\u{0C}f\ng\rh\ti"))
    }

    @Test func unicodeEscapes() throws {
        #expect(try parse(#""\u0041\u00e9\u20AC""#) == .string("Aé€"))
        #expect(try parse(#""\u0000""#) == .string("\u{0}"))
        #expect(try parse(#""\ud83d\ude00 smile""#) == .string("😀 smile"))
        #expect(try parse(#""\uDBFF\uDFFF""#) == .string("\u{10FFFF}"))
    }

    @Test func rawMultibyteUTF8PassesThrough() throws {
        #expect(try parse("\"héllo wörld — 日本語 😀\"") == .string("héllo wörld — 日本語 😀"))
    }

    @Test func longStringsWithAndWithoutEscapes() throws {
        let plain = String(repeating: "abcdefghij", count: 1000)
        #expect(try parse("\"\(plain)\"") == .string(plain))
        let escaped = String(repeating: #"abc\n\u00e9"#, count: 500)
        let expected = String(repeating: "abc\né", count: 500)
        #expect(try parse("\"\(escaped)\"") == .string(expected))
    }

    @Test func largeObjectsUseIndexedLookupAndStillRejectDuplicates() throws {
        let members = (0..<500).map { "\"k\($0)\": \($0)" }.joined(separator: ",")
        let object = try #require(try parse("{\(members)}").objectValue)
        #expect(object.count == 500)
        #expect(object["k0"] == .integer(0))
        #expect(object["k499"] == .integer(499))
        #expect(object["k500"] == nil)
        #expect(parseError("{\(members), \"k250\": 1}")?.kind == .duplicateKey)
        #expect(parseError("{\(members), \"k5\": 1}")?.kind == .duplicateKey)
    }

    @Test func parsesFromStringAndRawBufferOverloads() throws {
        #expect(try JSONParser.parse("[1]") == .array([.integer(1)]))
        let bytes: [UInt8] = Array("{\"a\":2}".utf8)
        let viaRaw = try bytes.withUnsafeBytes { try JSONParser.parse($0) }
        #expect(viaRaw["a"] == .integer(2))
        let viaSlice = try JSONParser.parse(bytes[...])
        #expect(viaSlice["a"] == .integer(2))
    }

    @Test func largeArrayOfMixedValues() throws {
        let element = #"{"id": 1, "name": "x", "score": 0.5, "tags": ["a", "b"], "ok": true}"#
        let text = "[" + Array(repeating: element, count: 10_000).joined(separator: ",") + "]"
        let array = try #require(try parse(text).arrayValue)
        #expect(array.count == 10_000)
        #expect(array[9_999]["score"] == .double(0.5))
    }
}
