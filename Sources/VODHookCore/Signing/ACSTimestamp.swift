/// A signing timestamp in the one form both styles accept: UTC `yyyy-MM-ddTHH:mm:ssZ`.
///
/// Built either from that text (validated) or from epoch seconds (formatted here, purely,
/// without Foundation or a clock).
public struct ACSTimestamp: Sendable, Hashable, CustomStringConvertible {
    /// The wire form, e.g. `2026-11-24T12:00:00Z`.
    public let text: String
    /// The same instant as seconds since 1970-01-01T00:00:00Z.
    public let epochSeconds: Int64

    /// The earliest instant the four-digit form can show: 0001-01-01T00:00:00Z.
    public static let minEpochSeconds: Int64 = -62_135_596_800
    /// The latest instant the four-digit form can show: 9999-12-31T23:59:59Z.
    public static let maxEpochSeconds: Int64 = 253_402_300_799

    /// Formats `epochSeconds` as UTC; values outside years 0001–9999 are clamped to that range.
    public init(epochSeconds: Int64) {
        let seconds = min(max(epochSeconds, Self.minEpochSeconds), Self.maxEpochSeconds)
        self.epochSeconds = seconds
        // Floor division so that instants before 1970 land on the right day.
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = CivilCalendar.date(days: days)
        text =
            Self.pad(year, 4) + "-" + Self.pad(month, 2) + "-" + Self.pad(day, 2) + "T"
            + Self.pad(secondOfDay / 3600, 2) + ":" + Self.pad(secondOfDay % 3600 / 60, 2) + ":"
            + Self.pad(secondOfDay % 60, 2) + "Z"
    }

    /// Parses exactly `yyyy-MM-ddTHH:mm:ssZ` (20 characters, a real calendar date, seconds ≤ 59);
    /// returns `nil` for anything else, including offsets and fractional seconds.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 20,
            bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"),
            bytes[16] == UInt8(ascii: ":"), bytes[19] == UInt8(ascii: "Z"),
            let year = Self.number(bytes[0..<4]), let month = Self.number(bytes[5..<7]),
            let day = Self.number(bytes[8..<10]), let hour = Self.number(bytes[11..<13]),
            let minute = Self.number(bytes[14..<16]), let second = Self.number(bytes[17..<19]),
            year >= 1, (1...12).contains(month), day >= 1,
            day <= CivilCalendar.daysInMonth(year: year, month: month),
            hour <= 23, minute <= 59, second <= 59
        else { return nil }
        self.text = text
        epochSeconds = CivilCalendar.days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second
    }

    /// The wire form, same as ``text``.
    public var description: String { text }

    private static func number(_ digits: ArraySlice<UInt8>) -> Int64? {
        var value: Int64 = 0
        for byte in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        return value
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
