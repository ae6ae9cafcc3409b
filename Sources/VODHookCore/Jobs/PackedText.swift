/// A job row's ID-like text with no heap storage in its usual shapes: VOD's JobIds and MediaIds
/// (32 lower-case hex digits) and RequestIds (an upper-case UUID) are 36 and 32 characters,
/// past Swift's 15-byte small strings, so each was an allocation in every open row.
///
/// Exact, unlike ``CompactID``: any other text is kept as it is, and ``string`` gives back the
/// text it was made from. Each text has one form, so equal texts are equal values.
struct PackedText: Hashable, Sendable {
    private enum Storage: Hashable, Sendable {
        /// 32 lower-case hex digits, as the number they spell.
        case hex(UInt64, UInt64)
        /// `XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX`, upper-case hex, as its 128 bits.
        case uuid(UInt64, UInt64)
        case text(String)
    }

    private let storage: Storage

    init(_ text: String) {
        var text = text
        storage = text.withUTF8 { Self.pack($0) } ?? .text(text)
    }

    var string: String {
        switch storage {
        case .hex(let high, let low): Self.hex(high, low, upper: false, dashes: false)
        case .uuid(let high, let low): Self.hex(high, low, upper: true, dashes: true)
        case .text(let text): text
        }
    }

    /// The text's UTF-8 bytes appended to `out`, and their count, with no String made: `vodhook
    /// jobs` lays out 500 k rows.
    func appendUTF8(to out: inout [UInt8]) {
        switch storage {
        case .hex(let high, let low): Self.forEachByte(high, low, upper: false, dashes: false) { out.append($0) }
        case .uuid(let high, let low): Self.forEachByte(high, low, upper: true, dashes: true) { out.append($0) }
        case .text(let text): out.append(contentsOf: text.utf8)
        }
    }

    var utf8Count: Int {
        switch storage {
        case .hex: 32
        case .uuid: 36
        case .text(let text): text.utf8.count
        }
    }

    var isASCII: Bool {
        switch storage {
        case .hex, .uuid: true
        case .text(let text): text.utf8.allSatisfy { $0 < 0x80 }
        }
    }

    private static func pack(_ bytes: UnsafeBufferPointer<UInt8>) -> Storage? {
        let upper: Bool
        switch bytes.count {
        case 32: upper = false
        case 36: upper = true
        default: return nil
        }
        var high: UInt64 = 0
        var low: UInt64 = 0
        var digits = 0
        for (position, byte) in bytes.enumerated() {
            if upper, position == 8 || position == 13 || position == 18 || position == 23 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            let nibble: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f") where !upper: nibble = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F") where upper: nibble = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            if digits < 16 { high = high << 4 | UInt64(nibble) } else { low = low << 4 | UInt64(nibble) }
            digits += 1
        }
        return upper ? .uuid(high, low) : .hex(high, low)
    }

    private static func hex(_ high: UInt64, _ low: UInt64, upper: Bool, dashes: Bool) -> String {
        String(unsafeUninitializedCapacity: dashes ? 36 : 32) { buffer in
            var at = 0
            forEachByte(high, low, upper: upper, dashes: dashes) { byte in
                buffer[at] = byte
                at += 1
            }
            return at
        }
    }

    private static func forEachByte(_ high: UInt64, _ low: UInt64, upper: Bool, dashes: Bool, _ body: (UInt8) -> Void) {
        let alphabet: StaticString = upper ? "0123456789ABCDEF" : "0123456789abcdef"
        for digit in 0..<32 {
            if dashes, digit == 8 || digit == 12 || digit == 16 || digit == 20 { body(UInt8(ascii: "-")) }
            let word = digit < 16 ? high : low
            body(alphabet.utf8Start[Int(word >> UInt64(60 - 4 * (digit % 16)) & 0xF)])
        }
    }
}

extension PackedText {
    /// For the checkpoint's binary section: a tag, then 16 bytes or a string.
    func write(to out: inout some CheckpointOutput) {
        switch storage {
        case .hex(let high, let low):
            out.u8(1)
            out.u64(high)
            out.u64(low)
        case .uuid(let high, let low):
            out.u8(2)
            out.u64(high)
            out.u64(low)
        case .text(let text):
            out.u8(3)
            out.string(text)
        }
    }

    /// Reads what ``write(to:)`` wrote, or nil for a 0 tag (no text).
    static func read(from reader: inout CheckpointReader) throws(CheckpointError) -> PackedText? {
        switch try reader.u8() {
        case 0: return nil
        case 1: return PackedText(storage: .hex(try reader.u64(), try reader.u64()))
        case 2: return PackedText(storage: .uuid(try reader.u64(), try reader.u64()))
        case 3:
            // Through init: a text in a packable shape is packed, so equal texts stay equal values.
            return PackedText(try reader.string())
        default: throw .corrupt("text tag")
        }
    }

    private init(storage: Storage) { self.storage = storage }
}
