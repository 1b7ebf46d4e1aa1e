import JSON
import Testing

@Suite("Parse errors: kind and byte offset")
struct ParserErrorTests {
    @Test(arguments: [
        ("", JSONParseError.Kind.unexpectedEnd, 0),
        ("   ", .unexpectedEnd, 3),
        ("[1, 2", .unexpectedEnd, 5),
        ("{\"a\"", .unexpectedEnd, 4),
        ("\"abc", .unexpectedEnd, 4),
        ("tru", .unexpectedEnd, 3),
        ("-", .unexpectedEnd, 1),
        ("1.", .unexpectedEnd, 2),
        ("\"\\u12", .unexpectedEnd, 5),
    ])
    func unexpectedEnd(text: String, kind: JSONParseError.Kind, offset: Int) {
        #expect(parseError(text) == JSONParseError(kind, at: offset))
    }

    @Test(arguments: [
        ("[1,]", JSONParseError.Kind.unexpectedCharacter, 3),
        ("{\"a\":1,}", .unexpectedCharacter, 7),
        ("{a:1}", .unexpectedCharacter, 1),
        ("{\"a\" 1}", .unexpectedCharacter, 5),
        ("[1 2]", .unexpectedCharacter, 3),
        ("[1}", .unexpectedCharacter, 2),
        ("'a'", .unexpectedCharacter, 0),
        ("+1", .unexpectedCharacter, 0),
        (".5", .unexpectedCharacter, 0),
        ("NaN", .unexpectedCharacter, 0),
        ("Infinity", .unexpectedCharacter, 0),
        ("nul", .unexpectedEnd, 3),
        ("nulL", .unexpectedCharacter, 3),
        ("\u{0C}1", .unexpectedCharacter, 0),
        ("[1]\u{0B}", .trailingData, 3),
        ("{} {}", .trailingData, 3),
        ("1 x", .trailingData, 2),
        ("\"a\"\"b\"", .trailingData, 3),
    ])
    func syntax(text: String, kind: JSONParseError.Kind, offset: Int) {
        #expect(parseError(text) == JSONParseError(kind, at: offset))
    }

    @Test(arguments: [
        ("01", 1), ("-01", 2), ("00", 1), ("1.e5", 2), ("1e", 2), ("1e+", 3),
        ("1ex", 2), ("-a", 1), ("1.x", 2), ("[-]", 2), ("--1", 1),
    ])
    func invalidNumber(text: String, offset: Int) {
        let error = parseError(text)
        // "1e" and "1e+" end the input: those are truncations, everything else is bad grammar.
        let expectedKind: JSONParseError.Kind = offset == text.utf8.count ? .unexpectedEnd : .invalidNumber
        #expect(error == JSONParseError(expectedKind, at: offset))
    }

    @Test(arguments: ["1e309", "-1e309", "[0, 1.8e308]", "1" + String(repeating: "0", count: 400)])
    func numberOutOfRange(text: String) {
        #expect(parseError(text)?.kind == .numberOutOfRange)
    }

    @Test(arguments: [#""\x""#, #""\U0041""#, #""\u00G0""#, #""\'""#, #""\ ""#])
    func invalidEscape(text: String) {
        #expect(parseError(text) == JSONParseError(.invalidEscape, at: 1))
    }

    @Test(arguments: [#""\ud800""#, #""\udc00""#, #""\ud800x""#, #""\ud800\u0041""#, #""\ud800\n""#, #""\ude00\ud83d""#])
    func loneSurrogate(text: String) {
        #expect(parseError(text) == JSONParseError(.loneSurrogate, at: 1))
    }

    @Test(arguments: [UInt8(0x00), 0x01, 0x0A, 0x0D, 0x09, 0x1F])
    func rawControlCharacterInString(byte: UInt8) {
        let bytes: [UInt8] = [0x22, 0x61, byte, 0x22]
        #expect(parseError(bytes) == JSONParseError(.controlCharacterInString, at: 2))
    }

    @Test func controlCharacterAfterAnEscapeIsFound() {
        #expect(parseError("\"a\\nb\u{1}\"") == JSONParseError(.controlCharacterInString, at: 5))
    }

    @Test func duplicateKeyReportsTheSecondKey() {
        #expect(parseError(#"{"a": 1, "a": 2}"#) == JSONParseError(.duplicateKey, at: 9))
        #expect(parseError(#"{"x": {"a": 1, "b": 2, "a": 3}}"#)?.kind == .duplicateKey)
        // Same key decoded from different spellings is still a duplicate.
        #expect(parseError(#"{"a": 1, "\u0061": 2}"#)?.kind == .duplicateKey)
    }

    @Test func sameKeyInSiblingObjectsIsFine() throws {
        #expect(parseError(#"[{"a": 1}, {"a": 2}]"#) == nil)
    }

    @Test func byteOrderMarkIsRejected() {
        #expect(parseError([0xEF, 0xBB, 0xBF, 0x7B, 0x7D]) == JSONParseError(.byteOrderMark, at: 0))
    }

    @Test func everyKindHasItsOwnSummary() {
        let summaries = Set(JSONParseError.Kind.allCases.map(\.summary))
        #expect(summaries.count == JSONParseError.Kind.allCases.count)
    }

    @Test func descriptionNamesProblemAndOffsetButNotThePayload() throws {
        let error = try #require(parseError(#"{"password": "hunter2", "password": 1}"#))
        #expect(error.description == "duplicate object key at byte 24")
        #expect(!error.description.contains("password"))
    }
}
