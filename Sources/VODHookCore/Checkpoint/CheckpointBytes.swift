/// Little-endian fixed-width fields, for the checkpoint's binary sections.
struct CheckpointWriter {
    private(set) var bytes: [UInt8] = []

    mutating func u8(_ value: UInt8) { bytes.append(value) }

    mutating func u32(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func u64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func id(_ id: CompactID) {
        u64(id.high)
        u64(id.low)
    }

    mutating func digest(_ digest: DedupKey.Digest) {
        u64(digest.high)
        u64(digest.low)
    }

    mutating func string(_ text: String) {
        u32(UInt32(text.utf8.count))
        bytes.append(contentsOf: text.utf8)
    }

    mutating func append(_ other: [UInt8]) { bytes.append(contentsOf: other) }
}

/// Reads what ``CheckpointWriter`` wrote; any short read is a corrupt checkpoint.
struct CheckpointReader {
    private let bytes: ArraySlice<UInt8>
    private var at: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        at = bytes.startIndex
    }

    var isAtEnd: Bool { at == bytes.endIndex }

    mutating func take(_ count: Int) throws(CheckpointError) -> ArraySlice<UInt8> {
        guard count >= 0, bytes.endIndex - at >= count else { throw .corrupt("truncated") }
        defer { at += count }
        return bytes[at..<at + count]
    }

    mutating func u8() throws(CheckpointError) -> UInt8 { try take(1).first ?? 0 }

    mutating func u32() throws(CheckpointError) -> UInt32 {
        try take(4).reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func u64() throws(CheckpointError) -> UInt64 {
        try take(8).reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    mutating func id() throws(CheckpointError) -> CompactID {
        CompactID(high: try u64(), low: try u64())
    }

    mutating func digest() throws(CheckpointError) -> DedupKey.Digest {
        DedupKey.Digest(high: try u64(), low: try u64())
    }

    mutating func string() throws(CheckpointError) -> String {
        let count = Int(try u32())
        return String(decoding: try take(count), as: UTF8.self)
    }
}
