import JobHuntEvents
import JobHuntHandlers
import Testing

@Suite struct EventVersionTests {
    private func version(_ time: String, _ id: String) -> EventVersion {
        EventVersion(time: Timestamp(rfc3339: time)!, eventID: id)
    }

    @Test func laterTimeWinsWhateverTheID() {
        #expect(version("2026-01-01T00:00:00Z", "zzz") < version("2026-01-01T00:00:01Z", "aaa"))
    }

    @Test func equalTimeIsDecidedByTheGreaterID() {
        #expect(version("2026-01-01T00:00:00Z", "a") < version("2026-01-01T00:00:00Z", "b"))
        #expect(!(version("2026-01-01T00:00:00Z", "b") < version("2026-01-01T00:00:00Z", "a")))
    }

    /// Swift's `<` on String orders by Unicode rules; the contract (and MongoDB) use bytes.
    /// "\u{FB01}" (UTF-8 EF AC 81) sorts after "z" by bytes.
    @Test func idsCompareAsUTF8Bytes() {
        #expect(version("2026-01-01T00:00:00Z", "z") < version("2026-01-01T00:00:00Z", "\u{FB01}"))
        #expect(version("2026-01-01T00:00:00Z", "Z") < version("2026-01-01T00:00:00Z", "a"))
    }

    @Test func offsetsDescribeTheSameInstant() {
        #expect(version("2026-01-01T02:00:00+02:00", "x") == version("2026-01-01T00:00:00Z", "x"))
    }
}
