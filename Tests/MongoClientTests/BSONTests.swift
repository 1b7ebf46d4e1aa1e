import Testing
@testable import MongoClient

@Suite("BSON values and documents (no server)")
struct BSONTests {
    static let everyType: BSONDocument = [
        "double": .double(3.25),
        "negativeZero": .double(-0.0),
        "string": "héllo ✓ \u{0}inside",
        "empty": "",
        "document": ["a": 1, "b": ["c": .null]],
        "array": [1, "two", 3.5, [4], ["five": 5]],
        "binary": .binary(bytes: [0, 1, 2, 255], subtype: 0),
        "uuid": .binary(bytes: Array(0..<16), subtype: 4),
        "oldBinary": .binary(bytes: [9, 8, 7], subtype: 2),
        "objectID": .objectID(ObjectID(hex: "5f1d7c2e9b3a4c5d6e7f8091")!),
        "true": true,
        "false": false,
        "date": .date(millisecondsSinceEpoch: 1_790_000_000_123),
        "beforeEpoch": .date(millisecondsSinceEpoch: -86_400_000),
        "null": .null,
        "int32": .int32(-2_147_483_648),
        "int64": .int64(9_007_199_254_740_993),
        // decimal128 1 (0x3040 exponent, coefficient 1), kept as raw bytes
        "decimal": .unsupported(typeCode: 0x13, bytes: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x40, 0x30]),
        "regex": .unsupported(typeCode: 0x0B, bytes: Array("^a.*\u{0}i\u{0}".utf8)),
        "maxKey": .unsupported(typeCode: 0x7F, bytes: []),
    ]

    @Test func roundTripsEveryTypeThroughBytes() throws {
        let bytes = try Self.everyType.bsonBytes()
        let decoded = try BSONDocument(bsonBytes: bytes)
        #expect(decoded == Self.everyType)
        #expect(decoded.keys == Self.everyType.keys)
        #expect(try decoded.bsonBytes() == bytes)
    }

    @Test func encodesTheSpecExample() throws {
        // {"hello": "world"} from bsonspec.org
        let expected: [UInt8] = [
            0x16, 0, 0, 0, 0x02, 0x68, 0x65, 0x6C, 0x6C, 0x6F, 0, 0x06, 0, 0, 0,
            0x77, 0x6F, 0x72, 0x6C, 0x64, 0, 0,
        ]
        #expect(try (["hello": "world"] as BSONDocument).bsonBytes() == expected)
    }

    @Test func rejectsMalformedBytes() throws {
        let good = try (["a": "b", "n": [1, 2]] as BSONDocument).bsonBytes()
        for cut in 0..<good.count {
            #expect(throws: MongoError.self) { try BSONDocument(bsonBytes: Array(good[0..<cut])) }
        }
        var badLength = good
        badLength[0] = 0xFF
        #expect(throws: MongoError.self) { try BSONDocument(bsonBytes: badLength) }
        var unknownType = good
        unknownType[4] = 0x42
        #expect(throws: MongoError.self) { try BSONDocument(bsonBytes: unknownType) }
    }

    @Test func refusesNULInKeys() {
        let error = #expect(throws: MongoError.self) { try (["a\u{0}b": 1] as BSONDocument).bsonBytes() }
        #expect(error?.kind == .invalidArgument)
    }

    @Test func subscriptKeepsOrderAndRemoves() {
        var document: BSONDocument = ["a": 1, "b": 2]
        document["c"] = 3
        document["a"] = "first"
        #expect(document.keys == ["a", "b", "c"])
        #expect(document.string("a") == "first")
        document["b"] = nil
        #expect(document.keys == ["a", "c"])
        #expect(document.removeValue(forKey: "c") == 3)
        #expect(document.count == 1)
        let pairs = document.map { "\($0.key)=\($0.value)" }
        #expect(pairs.count == 1)
    }

    @Test func typedGettersConvertOnlyLosslessly() {
        let document: BSONDocument = [
            "i32": .int32(7), "i64": .int64(1 << 40), "integral": 12.0, "fraction": 1.5,
            "huge": .int64(Int64.max), "text": "7",
        ]
        #expect(document.int64("i32") == 7)
        #expect(document.int64("integral") == 12)
        #expect(document.int64("fraction") == nil)
        #expect(document.int32("i64") == nil)
        #expect(document.int32("i32") == 7)
        #expect(document.double("i64") == Double(1 << 40))
        #expect(document.double("huge") == nil)
        #expect(document.int64("text") == nil)
        #expect(document.string("text") == "7")
        #expect(document.int64("missing") == nil)
    }

    @Test func objectIDHexRoundTrip() throws {
        let id = ObjectID()
        #expect(id.hex.count == 24)
        #expect(ObjectID(hex: id.hex) == id)
        #expect(ObjectID(hex: id.hex.uppercased()) == id)
        #expect(id != ObjectID())
        let fixed = try #require(ObjectID(hex: "000102030405060708090a0b"))
        #expect(fixed.bytes == Array(0..<12))
        #expect(fixed.hex == "000102030405060708090a0b")
        #expect(fixed.timestampSeconds == 0x0001_0203)
        #expect(ObjectID(hex: "00010203040506070809 0a0b") == nil)
        #expect(ObjectID(hex: "000102030405060708090a0") == nil)
        #expect(ObjectID(hex: "000102030405060708090a0g") == nil)
        #expect(ObjectID(bytes: [1, 2, 3]) == nil)
    }

    @Test func descriptionShowsNoValues() {
        let document: BSONDocument = ["password": "hunter2"]
        #expect(!document.description.contains("hunter2"))
        #expect(document.debugDescription.contains("hunter2"))
    }
}
