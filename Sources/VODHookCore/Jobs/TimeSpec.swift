/// Times and spans as the CLI takes them: `--since 2026-11-26T06:00:00Z` or `--since 2h`,
/// `--older-than 10m`.
public enum TimeSpec {
    /// `90s`, `10m`, `2h`, `3d` (or a plain number of seconds) in milliseconds.
    public static func duration(_ text: String) -> Int64? {
        let units: [Character: Int64] = ["s": 1_000, "m": 60_000, "h": 3_600_000, "d": 86_400_000]
        guard let last = text.last else { return nil }
        let unit = units[last] ?? 1_000
        let digits = units[last] == nil ? Substring(text) : text.dropLast()
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
            let value = Int64(digits), value <= Int64.max / unit
        else { return nil }
        return value * unit
    }

    /// An instant: UTC RFC 3339 (`2026-11-26T06:00:00Z`, with or without milliseconds), or a span
    /// before `now` (`2h` = two hours ago). Unix milliseconds.
    public static func instant(_ text: String, now: Int64) -> Int64? {
        if let span = duration(text) { return now - span }
        return EventTime.milliseconds(parsing: text, acceptsVODForms: true)
    }

    /// `45s`, `3m07s`, `2h05m`, `4d07h`: a short age for tables.
    public static func age(milliseconds: Int64) -> String {
        let seconds = max(0, milliseconds / 1000)
        if seconds < 86_400 { return ProgressLine.format(seconds: Double(seconds)) }
        let hours = seconds % 86_400 / 3600
        return "\(seconds / 86_400)d" + (hours < 10 ? "0" : "") + "\(hours)h"
    }
}
