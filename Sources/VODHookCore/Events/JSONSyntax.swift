/// A strict JSON syntax check (RFC 8259), run before Foundation reads a body.
///
/// Foundation's `JSONDecoder` scans leniently (it takes trailing commas) and checks strings and
/// numbers only when a value is decoded, so the request path, which decodes six members, would
/// otherwise accept bodies that `parse` or any other JSON tool refuses. This check also applies
/// the I-JSON (RFC 7493) limits Foundation enforces on decode: no unpaired surrogate escapes, and
/// numbers must fit a `Double` (finite, and not a non-zero literal that rounds to zero).
///
/// Bytes must already be valid UTF-8. Recursion is bounded by `maxDepth`, deeper is invalid.
struct JSONSyntax {
    private let bytes: UnsafeBufferPointer<UInt8>
    private let maxDepth: Int
    private var index = 0

    /// True when `bytes` is exactly one JSON value, optionally surrounded by whitespace.
    static func isValid(_ bytes: [UInt8], maxDepth: Int) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            var scanner = JSONSyntax(bytes: buffer, maxDepth: maxDepth)
            scanner.skipWhitespace()
            guard scanner.value(depth: 0) else { return false }
            scanner.skipWhitespace()
            return scanner.index == buffer.count
        }
    }

    private init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while let byte = current,
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
                || byte == UInt8(ascii: "\t")
        {
            index += 1
        }
    }

    private mutating func value(depth: Int) -> Bool {
        guard let byte = current else { return false }
        return switch byte {
        case UInt8(ascii: "{"): object(depth: depth + 1)
        case UInt8(ascii: "["): array(depth: depth + 1)
        case UInt8(ascii: "\""): string()
        case UInt8(ascii: "t"): literal("true")
        case UInt8(ascii: "f"): literal("false")
        case UInt8(ascii: "n"): literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): number()
        default: false
        }
    }

    private mutating func object(depth: Int) -> Bool {
        guard depth <= maxDepth else { return false }
        index += 1
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            index += 1
            return true
        }
        while true {
            guard current == UInt8(ascii: "\""), string() else { return false }
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { return false }
            index += 1
            skipWhitespace()
            guard value(depth: depth) else { return false }
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()  // the loop then demands a key: no trailing comma
            case UInt8(ascii: "}"):
                index += 1
                return true
            default:
                return false
            }
        }
    }

    private mutating func array(depth: Int) -> Bool {
        guard depth <= maxDepth else { return false }
        index += 1
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            index += 1
            return true
        }
        while true {
            guard value(depth: depth) else { return false }
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()  // the loop then demands a value: no trailing comma
            case UInt8(ascii: "]"):
                index += 1
                return true
            default:
                return false
            }
        }
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard bytes.count - index >= count else { return false }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
            return false
        }
        index += count
        return true
    }

    private mutating func string() -> Bool {
        index += 1  // the opening quote
        while let byte = current {
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return true
            case UInt8(ascii: "\\"):
                guard escape() else { return false }
            case 0..<0x20:
                return false  // control characters must be escaped
            default:
                index += 1  // valid UTF-8 was checked before
            }
        }
        return false
    }

    /// One escape sequence starting at the backslash; a high surrogate must be followed by a low one.
    private mutating func escape() -> Bool {
        index += 1
        guard let byte = current else { return false }
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
            UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            index += 1
            return true
        case UInt8(ascii: "u"):
            index += 1
            guard let unit = hex4() else { return false }
            if (0xDC00...0xDFFF).contains(unit) { return false }
            guard (0xD800...0xDBFF).contains(unit) else { return true }
            guard current == UInt8(ascii: "\\") else { return false }
            index += 1
            guard current == UInt8(ascii: "u") else { return false }
            index += 1
            guard let low = hex4() else { return false }
            return (0xDC00...0xDFFF).contains(low)
        default:
            return false
        }
    }

    private mutating func hex4() -> UInt16? {
        guard bytes.count - index >= 4 else { return nil }
        var unit: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            unit = unit << 4 | UInt16(digit)
            index += 1
        }
        return unit
    }

    private mutating func number() -> Bool {
        let start = index
        if current == UInt8(ascii: "-") { index += 1 }
        guard let first = current, isDigit(first) else { return false }
        index += 1
        if first != UInt8(ascii: "0") { skipDigits() }  // no leading zeros
        if current == UInt8(ascii: ".") {
            index += 1
            guard let digit = current, isDigit(digit) else { return false }
            skipDigits()
        }
        let mantissaEnd = index
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard let digit = current, isDigit(digit) else { return false }
            skipDigits()
        }
        // Without an exponent only a literal of hundreds of digits can leave Double's range,
        // so ordinary numbers skip the conversion.
        guard mantissaEnd != index || index - start > 300 else { return true }
        return fitsDouble(start..<index, mantissa: start..<mantissaEnd)
    }

    private func fitsDouble(_ range: Range<Int>, mantissa: Range<Int>) -> Bool {
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        guard let number = Double(text), number.isFinite else { return false }
        guard number == 0 else { return true }
        // Zero is fine only if the literal was zero; otherwise it underflowed.
        return !bytes[mantissa].contains { $0 >= UInt8(ascii: "1") && $0 <= UInt8(ascii: "9") }
    }

    private mutating func skipDigits() {
        while let byte = current, isDigit(byte) { index += 1 }
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
