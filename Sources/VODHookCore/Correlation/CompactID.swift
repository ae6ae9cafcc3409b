import Crypto

/// A VOD ID (JobId, MediaId) in 16 bytes with no heap storage, for indexes that hold millions.
///
/// VOD's IDs are 32 lower-case hex digits, read as the 128-bit number they spell. Any other
/// text is hashed (SHA-256, first 128 bits), so two different IDs meet only by chance, at
/// odds of 2^-128. An identity for lookups, not a way back to the text.
public struct CompactID: Hashable, Sendable {
    public let high: UInt64
    public let low: UInt64

    /// The ID read back from a checkpoint.
    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    public init(_ text: String) {
        // Native strings are contiguous UTF-8: no copy on the writer's path.
        let parsed = text.utf8.withContiguousStorageIfAvailable(Self.hex128) ?? Self.hex128(Array(text.utf8))
        if let (high, low) = parsed {
            (self.high, self.low) = (high, low)
        } else {
            let hash = Array(SHA256.hash(data: Array(text.utf8)))
            (high, low) = (Self.uint64(hash[0..<8]), Self.uint64(hash[8..<16]))
        }
    }

    private static func uint64(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    private static func hex128(_ bytes: some Collection<UInt8>) -> (UInt64, UInt64)? {
        guard bytes.count == 32 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (index, byte) in bytes.enumerated() {
            let nibble: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte - UInt8(ascii: "a") + 10
            default: return nil
            }
            if index < 16 { high = high << 4 | UInt64(nibble) } else { low = low << 4 | UInt64(nibble) }
        }
        return (high, low)
    }
}
