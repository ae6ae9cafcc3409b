import Crypto

/// A section's state, written field by field into any ``CheckpointOutput``: counted first, then
/// streamed, so no section of millions of entries is ever held whole as bytes.
protocol CheckpointPayload {
    func writePayload(into out: inout some CheckpointOutput)
}

/// Where a checkpoint's little-endian fixed-width fields go: a buffer, a count of them (a
/// section's length, learnt before its payload is written), or the file a piece at a time.
protocol CheckpointOutput {
    mutating func write(_ bytes: UnsafeRawBufferPointer)
}

extension CheckpointOutput {
    mutating func u8(_ value: UInt8) { withUnsafeBytes(of: value) { write($0) } }

    mutating func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { write($0) } }

    mutating func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { write($0) } }

    mutating func id(_ id: CompactID) {
        u64(id.high)
        u64(id.low)
    }

    mutating func digest(_ digest: DedupKey.Digest) {
        u64(digest.high)
        u64(digest.low)
    }

    mutating func string(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            u32(UInt32(utf8.count))
            write(UnsafeRawBufferPointer(utf8))
        }
    }

    mutating func optionalString(_ text: String?) {
        u8(text == nil ? 0 : 1)
        if let text { string(text) }
    }

    /// 0 for no text, else ``PackedText/write(to:)``.
    mutating func text(_ text: PackedText?) {
        if let text { text.write(to: &self) } else { u8(0) }
    }

    mutating func append(_ other: [UInt8]) { other.withUnsafeBytes { write($0) } }
}

/// The fields in memory, for the small sections.
struct CheckpointWriter: CheckpointOutput {
    private(set) var bytes: [UInt8] = []

    mutating func write(_ raw: UnsafeRawBufferPointer) { bytes.append(contentsOf: raw) }

    mutating func reserve(_ count: Int) { bytes.reserveCapacity(count) }
}

/// Only how many bytes the fields take.
struct CheckpointCounter: CheckpointOutput {
    private(set) var count = 0

    mutating func write(_ raw: UnsafeRawBufferPointer) { count += raw.count }
}

/// The file's bytes handed on in pieces of about ``pieceSize``, hashed as they go: a checkpoint
/// of millions of entries is never held whole in memory beside the state it copies.
struct CheckpointStream: CheckpointOutput {
    static let pieceSize = 1 << 20
    private var buffer: [UInt8] = []
    private var hasher = SHA256()
    private let sink: ([UInt8]) -> Void

    init(sink: @escaping ([UInt8]) -> Void) {
        self.sink = sink
        buffer.reserveCapacity(Self.pieceSize + 64)
    }

    mutating func write(_ raw: UnsafeRawBufferPointer) {
        buffer.append(contentsOf: raw)
        if buffer.count >= Self.pieceSize { flush() }
    }

    private mutating func flush() {
        guard !buffer.isEmpty else { return }
        hasher.update(data: buffer)
        sink(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Hands on what is left, then the SHA-256 of everything before it.
    mutating func finish() {
        flush()
        sink(Array(hasher.finalize()))
    }
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
