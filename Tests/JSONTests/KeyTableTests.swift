import JSON
import Testing

@Suite("Known-key table")
struct KeyTableTests {
    static let table = JSONKeyTable(["id", "type", "a_rather_long_key_name", "é", "id"])

    @Test(arguments: [
        #"{"id": 1, "type": "x", "a_rather_long_key_name": [true], "other": null}"#,
        #"{"a_rather_long_key_nam": 1, "a_rather_long_key_namf": 2, "ID": 3}"#,
        #"{"\u0069d": 1, "\u00e9": 2, "e\u0301": 3}"#,
        #"[{"id": {"id": {"type": []}}}]"#,
    ])
    func parsingWithTheTableGivesTheSameResult(text: String) throws {
        let plain = try JSONParser.parse(text)
        let withTable = try JSONParser.parse(text, limits: JSONLimits(knownKeys: Self.table))
        #expect(withTable == plain)
        #expect(withTable.serialized() == plain.serialized())
    }

    @Test func duplicatesAreStillFoundWithTheTable() {
        let limits = JSONLimits(knownKeys: Self.table)
        #expect(parseError(#"{"a_rather_long_key_name": 1, "a_rather_long_key_name": 2}"#, limits: limits)?.kind == .duplicateKey)
        #expect(parseError(#"{"id": 1, "\u0069d": 2}"#, limits: limits)?.kind == .duplicateKey)
    }
}
