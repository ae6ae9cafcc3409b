/// Text a client sent, made safe to put in a log line.
public enum LogText {
    /// `text` with every character that could forge or break a log line escaped, and at most
    /// `limit` characters of it kept.
    ///
    /// Printable ASCII stays as it is, except `"` and `\`, which get a backslash, and `=`, which
    /// becomes `\u{3d}` (so no `key=value` can be forged in a text log line); everything else
    /// (control characters, newlines, DEL, any non-ASCII scalar such as U+2028) becomes `\u{HEX}`.
    /// A longer text is cut and ends with `…(N more)`, N counted in Unicode scalars.
    public static func escaped(_ text: String, limit: Int = 256) -> String {
        var out = ""
        var kept = 0
        let scalars = text.unicodeScalars
        for scalar in scalars {
            guard kept < limit else { break }
            kept += 1
            switch scalar {
            case "\"", "\\":
                out.append("\\")
                out.unicodeScalars.append(scalar)
            case "=":
                out += "\\u{3d}"
            case " "..."~":
                out.unicodeScalars.append(scalar)
            default:
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            }
        }
        let total = scalars.count
        if total > kept { out += "…(\(total - kept) more)" }
        return out
    }
}
