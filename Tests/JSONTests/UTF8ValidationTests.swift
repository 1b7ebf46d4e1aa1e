import JSON
import Testing

@Suite("UTF-8 validation")
struct UTF8ValidationTests {
    /// Wraps `bytes` in a JSON string: `"` + bytes + `"`.
    private func quoted(_ bytes: [UInt8]) -> [UInt8] { [0x22] + bytes + [0x22] }

    @Test(arguments: [
        [UInt8(0xC3), 0xA9],  // é
        [0xE2, 0x82, 0xAC],  // €
        [0xED, 0x9F, 0xBF],  // U+D7FF, just below the surrogates
        [0xEE, 0x80, 0x80],  // U+E000, just above
        [0xF0, 0x90, 0x80, 0x80],  // U+10000
        [0xF4, 0x8F, 0xBF, 0xBF],  // U+10FFFF
    ])
    func acceptsValidSequences(sequence: [UInt8]) throws {
        let value = try JSONParser.parse(quoted(sequence))
        #expect(value.stringValue.map { Array($0.utf8) } == sequence)
    }

    @Test(arguments: [
        [UInt8(0x80)],  // lone continuation byte
        [0xBF],
        [0xC0, 0x80],  // overlong NUL
        [0xC1, 0xBF],  // overlong
        [0xE0, 0x80, 0x80],  // overlong 3-byte
        [0xE0, 0x9F, 0xBF],  // overlong 3-byte
        [0xF0, 0x8F, 0xBF, 0xBF],  // overlong 4-byte
        [0xED, 0xA0, 0x80],  // U+D800 encoded in UTF-8
        [0xED, 0xBF, 0xBF],  // U+DFFF encoded in UTF-8
        [0xF4, 0x90, 0x80, 0x80],  // U+110000
        [0xF5, 0x80, 0x80, 0x80],
        [0xFF],
        [0xC3],  // truncated 2-byte
        [0xE2, 0x82],  // truncated 3-byte
        [0xC3, 0x41],  // bad continuation
        [0xF0, 0x90, 0x80, 0x41],
    ])
    func rejectsInvalidSequencesAtTheirFirstByte(sequence: [UInt8]) {
        #expect(parseError(quoted(sequence)) == JSONParseError(.invalidUTF8, at: 1))
    }

    @Test func invalidUTF8OutsideStringsIsStillInvalidUTF8() {
        #expect(parseError([0x5B, 0x31, 0x2C, 0xFF, 0x5D]) == JSONParseError(.invalidUTF8, at: 3))
        #expect(parseError([0x7B, 0x7D, 0x20, 0xC3]) == JSONParseError(.invalidUTF8, at: 3))
    }

    @Test func invalidByteAfterLongASCIIRunIsFound() {
        var bytes = Array("\"\(String(repeating: "a", count: 1001))".utf8)
        bytes += [0xE0, 0x80, 0x80, 0x22]
        #expect(parseError(bytes) == JSONParseError(.invalidUTF8, at: 1002))
    }
}
