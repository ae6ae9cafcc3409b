/// A callback's `EventTime`: the raw text, always kept, and its instant when the text is
/// one of VOD's three UTC forms.
///
/// Accepted (exactly, upper-case `T`/`Z`, valid calendar date and time, no leap second):
/// `2026-11-24T12:03:41Z`, `2026-11-24T12:03:41.025Z`, `2026-11-24T12:03:41:025Z`
/// (the last, a colon before the milliseconds, is what the DNA and audit docs show).
public struct EventTime: Sendable, Hashable {
    /// The text exactly as received.
    public let raw: String
    /// Milliseconds since 1970-01-01T00:00:00Z, or nil when `raw` is not one of the three forms.
    public let millisecondsSinceEpoch: Int64?

    /// Reads `raw`; never fails (an unknown form only leaves `millisecondsSinceEpoch` nil).
    public init(raw: String) {
        self.raw = raw
        self.millisecondsSinceEpoch = Self.milliseconds(parsing: raw, acceptsVODForms: true)
    }

    /// Shared by the VOD reader and the strict RFC 3339 reader: the two differ only in which
    /// separators and lengths they take, so one scanner keeps their date rules identical.
    static func milliseconds(parsing text: String, acceptsVODForms: Bool) -> Int64? {
        var text = text  // withUTF8 is mutating; on a native string this is not a copy
        return text.withUTF8 { milliseconds(parsing: $0, acceptsVODForms: acceptsVODForms) }
    }

    static func milliseconds(
        parsing bytes: UnsafeBufferPointer<UInt8>,
        acceptsVODForms: Bool
    ) -> Int64? {
        let count = bytes.count
        guard count == 24 || (acceptsVODForms && count == 20) else { return nil }
        guard bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"),
            bytes[16] == UInt8(ascii: ":"), bytes[count - 1] == UInt8(ascii: "Z"),
            let year = digits(bytes, from: 0, count: 4), let month = digits(bytes, from: 5, count: 2),
            let day = digits(bytes, from: 8, count: 2), let hour = digits(bytes, from: 11, count: 2),
            let minute = digits(bytes, from: 14, count: 2), let second = digits(bytes, from: 17, count: 2)
        else { return nil }
        var millisecond: Int64 = 0
        if count == 24 {
            let separator = bytes[19]
            guard separator == UInt8(ascii: ".") || (acceptsVODForms && separator == UInt8(ascii: ":")),
                let fraction = digits(bytes, from: 20, count: 3)
            else { return nil }
            millisecond = fraction
        }
        guard month >= 1, month <= 12, day >= 1, day <= CivilCalendar.daysInMonth(year: year, month: month),
            hour < 24, minute < 60, second < 60
        else { return nil }
        let days = CivilCalendar.days(year: year, month: month, day: day)
        return (((days * 24 + hour) * 60 + minute) * 60 + second) * 1000 + millisecond
    }

    /// The ASCII decimal number at `bytes[from..<from+count]`, or nil if any byte is not a digit.
    private static func digits(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, count: Int) -> Int64? {
        var value: Int64 = 0
        for index in start..<(start + count) {
            let digit = bytes[index] &- UInt8(ascii: "0")  // wraps for bytes below "0", so one compare
            guard digit < 10 else { return nil }
            value = value * 10 + Int64(digit)
        }
        return value
    }
}
