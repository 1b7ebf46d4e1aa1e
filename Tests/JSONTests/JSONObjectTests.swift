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
        for size in [0, 1, 12, 13, 100] {
            let object = JSONObject((0..<size).map { (key: "key\($0)", value: JSONValue.integer(Int64($0))) })
            #expect(object.count == size)
            #expect(object.keys == (0..<size).map { "key\($0)" })
            for position in 0..<size {
                #expect(object["key\(position)"] == .integer(Int64(position)))
            }
            #expect(object["key\(size)"] == nil)
        }
    }

    @Test func sequenceYieldsMembersInOrder() {
        let object: JSONObject = ["x": 1, "y": "z"]
        #expect(object.map(\.key) == ["x", "y"])
        #expect(object.map(\.value) == [1, "z"])
    }
}
