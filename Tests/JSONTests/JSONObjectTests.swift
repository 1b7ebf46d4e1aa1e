import JSON
import Testing

@Suite("JSONObject")
struct JSONObjectTests {
    @Test func equalityIsOrderSensitive() {
        let ab: JSONObject = ["a": 1, "b": 2]
        let ba: JSONObject = ["b": 2, "a": 1]
        #expect(ab != ba)
        #expect(ab == JSONObject([(key: "a", value: 1), (key: "b", value: 2)]))
        #expect(Set([ab, ab, ba]).count == 2)
    }

    @Test func integerAndDoubleAreDistinct() {
        #expect(JSONValue.integer(1) != JSONValue.double(1))
        #expect(JSONValue.integer(1).doubleValue == 1.0)
    }

    @Test func lookupWorksAcrossTheIndexThreshold() {
        for size in [0, 1, 12, 32, 33, 100] {
            let object = JSONObject((0..<size).map { (key: "key\($0)", value: JSONValue.integer(Int64($0))) })
            #expect(object.count == size)
            #expect(object.keys == (0..<size).map { "key\($0)" })
            for position in 0..<size {
                #expect(object["key\(position)"] == .integer(Int64(position)))
            }
            #expect(object["key\(size)"] == nil)
        }
    }

    @Test func sequenceYieldsKeyValuePairsInOrder() {
        let object: JSONObject = ["x": 1, "y": "z"]
        var seen: [String] = []
        for (key, value) in object { seen.append("\(key)=\(value)") }
        #expect(seen == ["x=1", #"y="z""#])
        #expect(object.members.map(\.key) == ["x", "y"])
    }

    @Test func keysAreComparedByUTF8NotByCanonicalEquivalence() throws {
        // "é" precomposed and "e" + combining acute are equal Swift Strings but different keys.
        #expect("\u{E9}" == "e\u{301}")
        let object = try #require(try parse(#"{"\u00e9": 1, "e\u0301": 2}"#).objectValue)
        #expect(object.count == 2)
        #expect(object["\u{E9}"] == .integer(1))
        #expect(object["e\u{301}"] == .integer(2))
        #expect(object != JSONObject([(key: "e\u{301}", value: 1), (key: "\u{E9}", value: 2)]))
    }

    @Test func keysSharingLengthAndFirstSevenBytesAreStillDistinguished() throws {
        let object = try #require(try parse(#"{"prefix_a": 1, "prefix_b": 2, "prefix_": 3}"#).objectValue)
        #expect(object["prefix_a"] == .integer(1))
        #expect(object["prefix_b"] == .integer(2))
        #expect(object["prefix_"] == .integer(3))
        #expect(object["prefix_c"] == nil)
        #expect(parseError(#"{"prefix_a": 1, "prefix_b": 2, "prefix_a": 3}"#)?.kind == .duplicateKey)
    }
}
