import Testing
import VODHookCore

@Suite struct SigningTimestampTests {
    @Test(
        "epoch seconds format as UTC yyyy-MM-ddTHH:mm:ssZ and parse back",
        arguments: [
            (1_795_521_600, "2026-11-24T12:00:00Z"), (0, "1970-01-01T00:00:00Z"), (-1, "1969-12-31T23:59:59Z"),
            (951_868_799, "2000-02-29T23:59:59Z"), (253_402_300_799, "9999-12-31T23:59:59Z"),
            (-62_135_596_800, "0001-01-01T00:00:00Z"),
        ] as [(Int64, String)])
    func format(seconds: Int64, text: String) throws {
        #expect(ACSTimestamp(epochSeconds: seconds).text == text)
        let parsed = try #require(ACSTimestamp(text))
        #expect(parsed.epochSeconds == seconds)
        #expect(parsed == ACSTimestamp(epochSeconds: seconds))
    }

    @Test("instants beyond years 0001-9999 are clamped")
    func clamped() {
        #expect(ACSTimestamp(epochSeconds: .max).text == "9999-12-31T23:59:59Z")
        #expect(ACSTimestamp(epochSeconds: .min).text == "0001-01-01T00:00:00Z")
    }

    @Test(
        "anything but exactly yyyy-MM-ddTHH:mm:ssZ is refused",
        arguments: [
            "2026-11-24T12:00:00", "2026-11-24 12:00:00Z", "2026-11-24T12:00:00.000Z", "2026-11-24T12:00:00+00:00",
            "2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-31T00:00:00Z", "2026-11-24T24:00:00Z",
            "2026-11-24T12:60:00Z", "2026-11-24T12:00:60Z", "0000-01-01T00:00:00Z", "２０２６-11-24T12:00:00Z", "",
        ])
    func refused(text: String) {
        #expect(ACSTimestamp(text) == nil)
    }
}
