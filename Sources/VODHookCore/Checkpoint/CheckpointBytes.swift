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

    mutating func optionalString(_ text: String?) {
        u8(text == nil ? 0 : 1)
        if let text { string(text) }
    }

    /// 0 for no text, else ``PackedText/write(to:)``.
    mutating func text(_ text: PackedText?) {
        if let text { text.write(to: &self) } else { u8(0) }
    }

    mutating func reserve(_ count: Int) { bytes.reserveCapacity(count) }

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

    // Loaded whole, not folded byte by byte: a checkpoint holds millions of these.
    mutating func u32() throws(CheckpointError) -> UInt32 { UInt32(littleEndian: try load(UInt32.self)) }

    mutating func u64() throws(CheckpointError) -> UInt64 { UInt64(littleEndian: try load(UInt64.self)) }

    private mutating func load<T: FixedWidthInteger>(_: T.Type) throws(CheckpointError) -> T {
        let size = MemoryLayout<T>.size
        guard bytes.endIndex - at >= size else { throw .corrupt("truncated") }
        defer { at += size }
        let offset = at - bytes.startIndex
        return bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: T.self) }
    }

    /// A count of entries of at least `minimumBytes` each: more than the bytes left is corrupt
    /// (checked before anything is reserved for them).
    mutating func count(minimumBytes: Int) throws(CheckpointError) -> Int {
        let count = try u64()
        guard count <= UInt64(bytes.endIndex - at) / UInt64(max(minimumBytes, 1)) else { throw .corrupt("count") }
        return Int(count)
    }

    mutating func optionalString() throws(CheckpointError) -> String? {
        try u8() == 0 ? nil : try string()
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
