import JobHuntEvents
import Testing

@Suite("Timestamp")
struct TimestampTests {
    @Test(arguments: [
        ("1970-01-01T00:00:00Z", Int64(0)),
        ("1970-01-01T00:00:00.001Z", 1),
        ("1969-12-31T23:59:59.999Z", -1),
        ("2026-11-24T10:15:00Z", 1_795_515_300_000),
        ("2026-11-24t10:15:00z", 1_795_515_300_000),
        ("2026-11-24T11:15:00+01:00", 1_795_515_300_000),
        ("2026-11-24T04:45:00-05:30", 1_795_515_300_000),
        ("2026-11-24T10:15:00-00:00", 1_795_515_300_000),
        ("2026-11-25T10:14:00+23:59", 1_795_515_300_000),
        ("2024-02-29T00:00:00Z", 1_709_164_800_000),
        ("2000-02-29T12:00:00Z", 951_825_600_000),
        ("0001-01-01T00:00:00Z", -62_135_596_800_000),
        ("9999-12-31T23:59:59.999Z", 253_402_300_799_999),
    ])
    func parsesValidDateTimes(text: String, milliseconds: Int64) {
        #expect(Timestamp(rfc3339: text)?.millisecondsSinceEpoch == milliseconds)
    }

    @Test(arguments: [
        ("2026-11-24T10:15:00.1Z", Int64(100)),
        ("2026-11-24T10:15:00.12Z", 120),
        ("2026-11-24T10:15:00.123Z", 123),
        ("2026-11-24T10:15:00.1239Z", 123),
        ("2026-11-24T10:15:00.999999999999Z", 999),
        ("2026-11-24T10:15:00.000Z", 0),
    ])
    func fractionIsTruncatedToMilliseconds(text: String, milliseconds: Int64) {
        #expect(Timestamp(rfc3339: text)?.millisecondsSinceEpoch == 1_795_515_300_000 + milliseconds)
    }

    @Test func truncationBeforeTheEpochGoesTowardThePast() {
        #expect(Timestamp(rfc3339: "1969-12-31T23:59:59.9999Z")?.millisecondsSinceEpoch == -1)
    }

    @Test(arguments: [
        "", "2026-11-24", "2026-11-24T10:15Z", "2026-11-24T10:15:00", "2026-11-24 10:15:00Z",
        "2026-11-24T10:15:00.Z", "2026-11-24T10:15:00,5Z", "2026-11-24T10:15:00+0100",
        "2026-11-24T10:15:00+01", "2026-11-24T10:15:00+24:00", "2026-11-24T10:15:00+01:60",
        "2026-11-24T10:15:00Z ", " 2026-11-24T10:15:00Z", "2026-11-24T10:15:00ZZ",
        "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-01-00T00:00:00Z", "2026-01-32T00:00:00Z",
        "2026-04-31T00:00:00Z", "2026-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2100-02-29T00:00:00Z",
        "2026-11-24T24:00:00Z", "2026-11-24T10:60:00Z", "2026-11-24T23:59:60Z", "2016-12-31T23:59:60Z",
        "0000-01-01T00:00:00Z", "10000-01-01T00:00:00Z", "026-11-24T10:15:00Z", "2026-1-24T10:15:00Z",
        "+2026-11-24T10:15:00Z", "2026-11-24T10:15:00.5.5Z", "２０２６-11-24T10:15:00Z",
        "0001-01-01T00:30:00+01:00", "9999-12-31T23:30:00-01:00",
    ])
    func rejectsInvalidDateTimes(text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }

    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
        (1_795_515_300_123, "2026-11-24T10:15:00.123Z"),
        (951_825_600_000, "2000-02-29T12:00:00.000Z"),
        (-62_135_596_800_000, "0001-01-01T00:00:00.000Z"),
        (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
    ])
    func formatsAsUTCWithMilliseconds(milliseconds: Int64, text: String) {
        let timestamp = Timestamp(millisecondsSinceEpoch: milliseconds)
        #expect(timestamp.rfc3339 == text)
        #expect(Timestamp(rfc3339: text) == timestamp)
    }

    @Test func formattingExtremeValuesDoesNotTrap() {
        #expect(Timestamp(millisecondsSinceEpoch: .max).rfc3339 == "292278994-08-17T07:12:55.807Z")
        #expect(Timestamp(millisecondsSinceEpoch: .min).rfc3339 == "-292275055-05-16T16:47:04.192Z")
    }

    @Test func formattingRoundTripsAcrossTheWholeRange() {
        let span = Timestamp.latest.millisecondsSinceEpoch - Timestamp.earliest.millisecondsSinceEpoch
        for step in 0...2_000 {
            let milliseconds = Timestamp.earliest.millisecondsSinceEpoch + span / 2_000 * Int64(step) + Int64(step * 7_919)
            let timestamp = Timestamp(millisecondsSinceEpoch: min(milliseconds, Timestamp.latest.millisecondsSinceEpoch))
            #expect(Timestamp(rfc3339: timestamp.rfc3339) == timestamp)
        }
    }

    @Test func ordersByInstantNotByText() throws {
        let earlier = try #require(Timestamp(rfc3339: "2026-11-24T10:15:00+01:00"))
        let later = try #require(Timestamp(rfc3339: "2026-11-24T09:15:00.001Z"))
        #expect(earlier < later)
        #expect(Timestamp(rfc3339: "2026-11-24T10:15:00.0001Z") == Timestamp(rfc3339: "2026-11-24T10:15:00Z"))
    }
}
