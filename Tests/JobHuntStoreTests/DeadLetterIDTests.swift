import JobHuntStore
import Testing

/// A dead letter's id is the SHA-256 of its body in lowercase hex. Records already stored are
/// found by that spelling, so these FIPS 180-4 vectors pin it byte for byte.
@Suite struct DeadLetterIDTests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
    ])
    func idIsTheLowercaseHexSHA256OfTheBody(body: String, id: String) {
        #expect(DeadLetter.id(ofBody: Array(body.utf8)) == id)
    }

    @Test func aMillionBytesHashLikeAnyOtherBody() {
        let body = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(DeadLetter.id(ofBody: body) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func bytesThatAreNotUTF8AreHashedAsTheyAre() {
        #expect(DeadLetter.id(ofBody: [0xFF, 0x00, 0x80]) == "ef192b7af54e943f206ab27075ec1805384c972c9959fc5820f1fa7d5268fcef")
    }
}
