extension EventTime {
    /// `milliseconds` since the epoch as RFC 3339 UTC with exactly three fraction digits,
    /// e.g. `2026-11-26T05:33:15.123Z` (24 bytes for years 0000–9999).
    ///
    /// Built digit by digit into one string buffer: no formatter, no intermediate strings.
    /// Instants outside years 0000–9999 (never a real clock) get an ISO 8601 expanded year
    /// (`+10000-…`, `-0001-…`), which `milliseconds(rfc3339:)` does not read back.
    public static func rfc3339(milliseconds: Int64) -> String {
        // Floor division, so instants before 1970 land on the previous day, not the next.
        var days = milliseconds / 86_400_000
        var millisecondOfDay = milliseconds % 86_400_000
        if millisecondOfDay < 0 {
            millisecondOfDay += 86_400_000
            days -= 1
        }
        let date = CivilCalendar.date(days: days)
        let tail = Tail(month: date.month, day: date.day, millisecondOfDay: millisecondOfDay)
        guard date.year >= 0, date.year <= 9999 else {
            let sign = date.year < 0 ? "-" : "+"
            let magnitude = String(date.year.magnitude)
            let padding = String(repeating: "0", count: max(0, 4 - magnitude.count))
            return sign + padding + magnitude + String(unsafeUninitializedCapacity: 20) { tail.write(into: $0, at: 0) }
        }
        return String(unsafeUninitializedCapacity: 24) { buffer in
            EventTime.put(date.year, width: 4, into: buffer, at: 0)
            return tail.write(into: buffer, at: 4)
        }
    }

    /// Epoch milliseconds of exactly the form `rfc3339(milliseconds:)` writes
    /// (`YYYY-MM-DDTHH:MM:SS.sssZ`, years 0000–9999); nil for anything else.
    public static func milliseconds(rfc3339 text: String) -> Int64? {
        milliseconds(parsing: text, acceptsVODForms: false)
    }

    /// The same, from the bytes of a line being read (no string made).
    static func milliseconds(rfc3339 bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        milliseconds(parsing: bytes, acceptsVODForms: false)
    }

    /// Everything after the year: `-MM-DDTHH:MM:SS.sssZ`, 20 bytes.
    private struct Tail {
        let month: Int64, day: Int64, millisecondOfDay: Int64

        /// Writes the 20 bytes at `offset` and returns the index just past them.
        func write(into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) -> Int {
            let seconds = millisecondOfDay / 1000
            buffer[offset] = UInt8(ascii: "-")
            EventTime.put(month, width: 2, into: buffer, at: offset + 1)
            buffer[offset + 3] = UInt8(ascii: "-")
            EventTime.put(day, width: 2, into: buffer, at: offset + 4)
            buffer[offset + 6] = UInt8(ascii: "T")
            EventTime.put(seconds / 3600, width: 2, into: buffer, at: offset + 7)
            buffer[offset + 9] = UInt8(ascii: ":")
            EventTime.put(seconds / 60 % 60, width: 2, into: buffer, at: offset + 10)
            buffer[offset + 12] = UInt8(ascii: ":")
            EventTime.put(seconds % 60, width: 2, into: buffer, at: offset + 13)
            buffer[offset + 15] = UInt8(ascii: ".")
            EventTime.put(millisecondOfDay % 1000, width: 3, into: buffer, at: offset + 16)
            buffer[offset + 19] = UInt8(ascii: "Z")
            return offset + 20
        }
    }

    /// Writes the low `width` decimal digits of a non-negative `value`, zero-padded.
    private static func put(
        _ value: Int64, width: Int, into buffer: UnsafeMutableBufferPointer<UInt8>,
        at offset: Int
    ) {
        var rest = value
        for index in stride(from: offset + width - 1, through: offset, by: -1) {
            buffer[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
        }
    }
}
