import JobHuntEvents
import Testing

@Suite("ObjectIDHex")
struct ObjectIDHexTests {
    @Test func parsesEitherCaseAndPrintsLowercase() throws {
        let id = try #require(ObjectIDHex(hex: "64B7f0c2A1b2c3d4e5f60718"))
        #expect(id.bytes == [0x64, 0xB7, 0xF0, 0xC2, 0xA1, 0xB2, 0xC3, 0xD4, 0xE5, 0xF6, 0x07, 0x18])
        #expect(id.hex == "64b7f0c2a1b2c3d4e5f60718")
        #expect(id == ObjectIDHex(hex: "64b7f0c2a1b2c3d4e5f60718"))
    }

    @Test(arguments: [
        "", "64b7f0c2a1b2c3d4e5f6071", "64b7f0c2a1b2c3d4e5f607180", "64b7f0c2a1b2c3d4e5f6071g",
        " 4b7f0c2a1b2c3d4e5f60718", "0x4b7f0c2a1b2c3d4e5f6071", "64b7f0c2a1b2c3d4e5f6071é",
    ])
    func rejectsAnythingButTwentyFourHexDigits(text: String) {
        #expect(ObjectIDHex(hex: text) == nil)
    }

    @Test func bytesInitialiserRequiresTwelveBytes() {
        #expect(ObjectIDHex(bytes: Array(repeating: 0xAB, count: 12))?.hex == String(repeating: "ab", count: 12))
        #expect(ObjectIDHex(bytes: Array(repeating: 0, count: 11)) == nil)
    }
}
