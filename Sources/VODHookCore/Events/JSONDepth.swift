/// A byte scan for JSON nesting depth, run before any recursive parser sees the bytes.
///
/// Foundation's decoders recurse once per level; bounding depth first means a hostile
/// `[[[[…` body can never exhaust a thread's stack, whatever that stack's size.
enum JSONDepth {
    /// True when no point of `bytes` is inside more than `limit` unclosed `{` or `[`
    /// (brackets inside strings, escaped quotes included, do not count).
    /// Does not validate JSON: a body that passes may still be malformed.
    static func fits(_ bytes: some Sequence<UInt8>, within limit: Int) -> Bool {
        var depth = 0
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                if depth > limit { return false }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                // Clamped at zero so stray closers cannot "bank" depth for later openers;
                // such a body is invalid JSON and the parser stops at the first stray closer.
                if depth > 0 { depth -= 1 }
            case UInt8(ascii: "\""):
                inString = true
            default:
                break
            }
        }
        return true
    }
}
