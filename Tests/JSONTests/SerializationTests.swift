import JSON
import Testing

@Suite("Serialization")
struct SerializationTests {
    @Test func compactOutputInMemberOrder() {
        let value: JSONValue = ["b": 1, "a": [true, false, .null], "c": ["d": "e"], "f": 2.5]
        #expect(value.serialized() == #"{"b":1,"a":[true,false,null],"c":{"d":"e"},"f":2.5}"#)
    }

    @Test func escapesQuotesBackslashesAndEveryControlCharacter() {
        #expect(JSONValue.string("a\"b\\c").serialized() == #""a\"b\\c""#)
        #expect(JSONValue.string("\n\r\t\u{08}\u{0C}").serialized() == #""\n\r\t\b\f""#)
        #expect(JSONValue.string("\u{0}\u{1F}\u{7F}").serialized() == "\"\\u0000\\u001f\u{7F}\"")
        #expect(JSONValue.string("/é😀").serialized() == "\"/é😀\"")
    }

    @Test func everyControlCharacterRoundTrips() throws {
        let all = String(String.UnicodeScalarView((0..<0x20).map { Unicode.Scalar(UInt8($0)) }))
        let text = JSONValue.string(all).serialized()
        #expect(!text.utf8.contains { $0 < 0x20 })
        #expect(try JSONParser.parse(text) == .string(all))
    }

    @Test func integersAreExact() {
        #expect(JSONValue.integer(.max).serialized() == "9223372036854775807")
        #expect(JSONValue.integer(.min).serialized() == "-9223372036854775808")
        #expect(JSONValue.integer(0).serialized() == "0")
        #expect(JSONValue.integer(-7).serialized() == "-7")
    }

    @Test(arguments: [
        0.1, 1.0, -0.0, 1e-5, 1e16, 1e300, .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude,
        123456.789, 9007199254740993.0, 2.0 / 3.0, -1.5e-10,
    ])
    func doublesRoundTripExactlyAndStayDoubles(value: Double) throws {
        let parsed = try JSONParser.parse(JSONValue.double(value).serialized())
        #expect(parsed == .double(value))
        #expect(parsed.doubleValue?.sign == value.sign)
    }

    @Test func nonFiniteDoublesBecomeNull() {
        #expect(JSONValue.array([.double(.infinity), .double(.nan)]).serialized() == "[null,null]")
    }

    @Test(arguments: [
        #"{"a":[1,2.5,-3e-7,"x\u0000y",{"b":null}],"c":true,"d":"\ud83d\ude00"}"#,
        #"[[[[]]],{},"",0,-0.0,9223372036854775807,1.7976931348623157e308]"#,
        #""tab\there""#,
    ])
    func parseSerializeParseIsStable(text: String) throws {
        let first = try JSONParser.parse(text)
        let reserialized = first.serialized()
        #expect(try JSONParser.parse(reserialized) == first)
        #expect(try JSONParser.parse(reserialized).serialized() == reserialized)
    }

    @Test func jsonBytesAreTheUTF8OfSerialized() {
        let value: JSONValue = ["k": "é"]
        #expect(value.jsonBytes == Array(value.serialized().utf8))
    }
}
