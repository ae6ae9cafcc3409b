/// Alibaba Cloud's percent-encoding, shared by RPC and V3 signing (docs/vod.md §4.1).
///
/// The string is taken as UTF-8; the unreserved bytes `A–Z a–z 0–9 - _ . ~` stay as they are and
/// every other byte becomes `%XY` with upper-case hex. A space is `%20` and never `+`; `*` is `%2A`.
public enum ACSPercentEncoding {
    /// Returns `string` percent-encoded: unreserved bytes kept, every other UTF-8 byte as `%XY`.
    public static func encode(_ string: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(string.utf8.count)
        for byte in string.utf8 {
            if isUnreserved(byte) {
                output.append(byte)
            } else {
                output.append(UInt8(ascii: "%"))
                output.append(upperHexDigits[Int(byte >> 4)])
                output.append(upperHexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Reverses ``encode(_:)`` and any other `%XY` escaping (either hex case).
    ///
    /// Returns `nil` for a `%` not followed by two hex digits, or bytes that are not UTF-8.
    /// A `+` stays a `+`: this encoding never writes it for a space, so reading it as one would
    /// make a value that no longer signs the same.
    public static func decode(_ string: String) -> String? {
        let input = Array(string.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < input.count,
                    let high = hexValue(input[index + 1]),
                    let low = hexValue(input[index + 2])
                else { return nil }
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(byte)
                index += 1
            }
        }
        return String(validating: output, as: UTF8.self)
    }

    /// Splits a raw query string (`a=1&b=2`, no leading `?`) into decoded items, in order.
    ///
    /// An item without `=` gets an empty value; empty items (`a=1&&b=2`) are skipped.
    /// Returns `nil` if any name or value fails ``decode(_:)``.
    public static func decodeQuery(_ query: String) -> [ACSQueryItem]? {
        var items: [ACSQueryItem] = []
        for part in query.split(separator: "&", omittingEmptySubsequences: true) {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(String(pieces[0])) else { return nil }
            let rawValue = pieces.count > 1 ? String(pieces[1]) : ""
            guard let value = decode(rawValue) else { return nil }
            items.append(ACSQueryItem(name: name, value: value))
        }
        return items
    }

    /// The canonical query of both styles: items sorted byte-wise by name (then value),
    /// each `encode(name)=encode(value)`, joined by `&`; `""` for no items.
    public static func canonicalQuery(_ items: [ACSQueryItem]) -> String {
        items.sorted(by: ACSQueryItem.canonicalOrder)
            .map { "\(encode($0.name))=\(encode($0.value))" }
            .joined(separator: "&")
    }

    private static let upperHexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
