import Testing
import VODHookCore

// Expected epoch values come from GNU date and Python, not from the code under test,
// e.g. `date -u -d 2026-11-24T12:03:41Z +%s` = 1795521821.
@Suite struct EventTimeTests {
    @Test(
        "each of VOD's three EventTime forms reads to exact epoch milliseconds",
        arguments: [
            ("2026-11-24T12:03:41Z", 1_795_521_821_000),
            ("2026-11-24T12:03:41.025Z", 1_795_521_821_025),
            ("2026-11-24T12:03:41:025Z", 1_795_521_821_025),
            ("2026-11-24T12:04:05:318Z", 1_795_521_845_318),
            ("2026-11-24T12:06:30:540Z", 1_795_521_990_540),
            ("2026-11-24T12:05:12Z", 1_795_521_912_000),
            ("2026-11-24T11:58:02Z", 1_795_521_482_000),
            ("1970-01-01T00:00:00Z", 0),
            ("1969-12-31T23:59:59.999Z", -1),
            ("2000-02-29T00:00:00Z", 951_782_400_000),
            ("2024-02-29T23:59:59:999Z", 1_709_251_199_999),
            ("1900-03-01T00:00:00.000Z", -2_203_891_200_000),
            ("2100-03-01T00:00:00Z", 4_107_542_400_000),
            ("0000-01-01T00:00:00Z", -62_167_219_200_000),
            ("9999-12-31T23:59:59.999Z", 253_402_300_799_999),
        ] as [(String, Int64)])
    func vodForms(raw: String, milliseconds: Int64) {
        let time = EventTime(raw: raw)
        #expect(time.raw == raw)
        #expect(time.millisecondsSinceEpoch == milliseconds)
    }

    @Test(
        "anything else keeps its raw text and has no instant",
        arguments: [
            "", "2026-11-24", "2026-11-24 12:03:41Z", "2026-11-24T12:03:41", "2026-11-24t12:03:41z",
            "2026-11-24T12:03:41.25Z", "2026-11-24T12:03:41.0250Z", "2026-11-24T12:03:41+08:00",
            "2026-11-24T12:03:41.025+08:00", "2026-11-24T12:03:41;025Z", "2026-11-24T12:03:4aZ",
            "2026-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z",
            "2026-00-10T00:00:00Z", "2026-11-00T00:00:00Z", "2026-11-24T24:00:00Z", "2026-11-24T12:60:00Z",
            "2026-11-24T12:03:60Z", "-026-11-24T12:03:41Z", "+2026-11-24T12:03:41Z", "1795521821",
            "２０２６-11-24T12:03:41Z", "2026-11-24T12:03:41Z ",
        ])
    func otherForms(raw: String) {
        let time = EventTime(raw: raw)
        #expect(time.raw == raw)
        #expect(time.millisecondsSinceEpoch == nil)
    }

    @Test(
        "epoch milliseconds format as RFC 3339 UTC with three fraction digits",
        arguments: [
            (1_795_671_195_123, "2026-11-26T05:33:15.123Z"),
            (1_795_521_821_000, "2026-11-24T12:03:41.000Z"),
            (0, "1970-01-01T00:00:00.000Z"),
            (-1, "1969-12-31T23:59:59.999Z"),
            (951_782_400_000, "2000-02-29T00:00:00.000Z"),
            (1_709_251_199_999, "2024-02-29T23:59:59.999Z"),
            (1_798_761_599_999, "2026-12-31T23:59:59.999Z"),
            (1_798_761_600_000, "2027-01-01T00:00:00.000Z"),
            (-2_203_891_200_000, "1900-03-01T00:00:00.000Z"),
            (-11_670_955_200_000, "1600-02-29T12:00:00.000Z"),
            (-62_135_596_800_000, "0001-01-01T00:00:00.000Z"),
            (-62_167_219_200_000, "0000-01-01T00:00:00.000Z"),
            (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
        ] as [(Int64, String)])
    func format(milliseconds: Int64, text: String) {
        #expect(EventTime.rfc3339(milliseconds: milliseconds) == text)
        #expect(EventTime.milliseconds(rfc3339: text) == milliseconds)
    }

    @Test("formatting then parsing returns the same instant, across leap days and year ends")
    func roundTrip() {
        // A prime stride of a little over 37 hours visits every hour, minute and millisecond
        // offset over time; the range spans 1896 to 2104 (1900 and 2100 are not leap years).
        let stride = Int64(37 * 3_600_000 + 61_007)
        var milliseconds: Int64 = -2_335_219_200_000
        var count = 0
        while milliseconds < 4_260_211_200_000 {
            let text = EventTime.rfc3339(milliseconds: milliseconds)
            #expect(text.utf8.count == 24)
            #expect(EventTime.milliseconds(rfc3339: text) == milliseconds, "\(text)")
            milliseconds += stride
            count += 1
        }
        #expect(count > 40_000)
        // The last millisecond of each year and the first of the next, 1968 to 2032.
        for year in 1968...2032 {
            let start = EventTime.milliseconds(rfc3339: "\(year)-01-01T00:00:00.000Z")
            #expect(start.map { EventTime.rfc3339(milliseconds: $0 - 1) } == "\(year - 1)-12-31T23:59:59.999Z")
        }
    }

    @Test(
        "the RFC 3339 reader takes only the form the formatter writes",
        arguments: [
            "2026-11-26T05:33:15Z", "2026-11-26T05:33:15:123Z", "2026-11-26T05:33:15.12Z",
            "2026-11-26T05:33:15.123+00:00", "2026-02-29T05:33:15.123Z", "+10000-01-01T00:00:00.000Z",
        ])
    func strictReader(text: String) {
        #expect(EventTime.milliseconds(rfc3339: text) == nil)
    }

    @Test(
        "instants outside years 0000-9999 format with an expanded year and never trap",
        arguments: [
            (253_402_300_800_000, "+10000-01-01T00:00:00.000Z"),
            (-62_167_219_200_001, "-0001-12-31T23:59:59.999Z"),
        ] as [(Int64, String)])
    func outOfRange(milliseconds: Int64, text: String) {
        #expect(EventTime.rfc3339(milliseconds: milliseconds) == text)
    }

    @Test("the extreme Int64 instants format without trapping")
    func extremes() {
        #expect(EventTime.rfc3339(milliseconds: .max).hasPrefix("+292278994-08-17T07:12:55.807Z"))
        #expect(EventTime.rfc3339(milliseconds: .min).hasPrefix("-292275055-05-16T16:47:04.192Z"))
    }
}
