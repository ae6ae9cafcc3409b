internal import Foundation
import VODHookCore

/// The checks every setting's text goes through, whatever its source.
enum SettingValue {
    /// The spellings of a boolean.
    static let expectedBool = "true or false (also yes/no, on/off, 1/0)"
    /// An absolute callback URL.
    static let expectedURL = "an absolute http:// or https:// URL with a host, such as https://media.example.com/vod/callback"
    /// A path that is not empty.
    static let expectedPath = "a non-empty path"

    /// A span of time.
    static let expectedSpan = "a span such as 90s, 10m, 2h or 1d"

    /// A span greater than 0, in milliseconds.
    static func span(_ text: String) -> Int64? {
        TimeSpec.duration(text.trimmingWhitespace()).flatMap { $0 > 0 ? $0 : nil }
    }

    /// A whole number of seconds in `range`, as an error message says it.
    static func expectedSeconds(in range: ClosedRange<Int>) -> String {
        "a whole number of seconds from \(range.lowerBound) to \(range.upperBound)"
    }

    /// Digits only (no sign, no fraction), within `range`.
    static func wholeNumber(_ text: String, in range: ClosedRange<Int>) -> Int? {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty, trimmed.count <= 19, trimmed.allSatisfy({ $0.isASCII && $0.isNumber }),
            let value = Int(trimmed), range.contains(value)
        else { return nil }
        return value
    }

    static func bool(_ text: String) -> Bool? {
        switch text.trimmingWhitespace().lowercased() {
        case "true", "yes", "on", "1": true
        case "false", "no", "off", "0": false
        default: nil
        }
    }

    static func logLevel(_ text: String) -> String? {
        let level = text.trimmingWhitespace().lowercased()
        return ServeSettings.logLevels.contains(level) ? level : nil
    }

    static func logFormat(_ text: String) -> LogFormat? {
        LogFormat(rawValue: text.trimmingWhitespace().lowercased())
    }

    static func path(_ text: String) -> String? {
        text.isEmpty || text.contains("\0") ? nil : text
    }

    /// The URL unchanged (VOD signs the exact string), or nil if it is not an absolute http(s) URL with a host.
    static func callbackURL(_ text: String) -> String? {
        guard !text.contains(where: { $0.isWhitespace }), let components = URLComponents(string: text),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty
        else { return nil }
        return text
    }
}
