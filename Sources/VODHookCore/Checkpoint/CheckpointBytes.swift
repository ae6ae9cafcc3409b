import Crypto

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

    mutating func append(_ other: [UInt8]) { other.withUnsafeBytes { write($0) } }
}

/// The fields in memory, for the small sections.
struct CheckpointWriter: CheckpointOutput {
    private(set) var bytes: [UInt8] = []

    mutating func write(_ raw: UnsafeRawBufferPointer) { bytes.append(contentsOf: raw) }
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
