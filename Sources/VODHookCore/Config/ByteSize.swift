/// Parses sizes such as `1048576`, `1MiB`, `512KiB`, `1m`, `64k`, `2 GiB`.
///
/// Units are binary and case-insensitive: none or `b` (bytes), `k`/`kib` (1024), `m`/`mib` (1024²),
/// `g`/`gib` (1024³). `KB`/`MB` are refused rather than guessed (1000 or 1024?).
public enum ByteSize {
    /// What a size must look like; used in error messages.
    public static let expected = "a size in bytes greater than 0, such as 1048576, 64k, 512KiB, 1m, 1MiB or 1GiB"

    /// The number of bytes, or nil when `text` is not a size greater than 0.
    public static func parse(_ text: String) -> Int? {
        let trimmed = text.trimmingWhitespace()
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let number = Int(digits) else { return nil }
        let unit = trimmed.dropFirst(digits.count).trimmingWhitespace().lowercased()
        let multiplier: Int
        switch unit {
        case "", "b": multiplier = 1
        case "k", "kib": multiplier = 1 << 10
        case "m", "mib": multiplier = 1 << 20
        case "g", "gib": multiplier = 1 << 30
        default: return nil
        }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: multiplier)
        guard !overflow, bytes > 0 else { return nil }
        return bytes
    }
}

extension StringProtocol {
    /// The text without leading and trailing whitespace (spaces, tabs, CR, LF).
    public func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
            let last = lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(self[first...last])
    }
}
