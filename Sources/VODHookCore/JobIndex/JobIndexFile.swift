/// The codec of a job index file (a ledger file's sidecar, `index/<ledger file>.idx`): which
/// lines of one ledger file carry which ``JobIndexKey``, found by reading a few hundred bytes.
///
/// Layout, little-endian, fixed width:
/// - header, 64 bytes: magic `VHJOBIX\0`, version, bucket bits `b`, record count, the ledger
///   bytes covered (`[0, covered)`), the CRC-32 of the ledger's last bytes before `covered` (up
///   to ``tailSpan``, to tell another file of the same size), zeros, the header's own CRC-32;
/// - bucket table, `2^b + 1` entries of 8 bytes: the first record of the bucket (UInt32) and the
///   CRC-32 of its records; the last entry holds the record count and the CRC-32 of the entries
///   before it;
/// - records, 16 bytes each: key hash (UInt64), the line's byte offset (UInt64), sorted. A
///   record's bucket is its hash's top `b` bits.
///
/// A lookup reads the header, two table entries and one bucket, and checks each: a torn, short
/// or flipped file is an error (the caller scans the ledger file instead), never a wrong answer.
public enum JobIndexFile {
    public static let magic: [UInt8] = Array("VHJOBIX".utf8) + [0]
    public static let version: UInt32 = 1
    public static let headerSize = 64
    public static let entrySize = 8
    public static let recordSize = 16
    /// How many ledger bytes before `covered` the tail checksum covers.
    public static let tailSpan: Int64 = 4096
    /// Buckets hold about this many records: one read of a few hundred bytes.
    static let recordsPerBucket = 32

    public struct Record: Hashable, Comparable, Sendable {
        public var hash: UInt64
        public var offset: UInt64

        public init(hash: UInt64, offset: UInt64) {
            self.hash = hash
            self.offset = offset
        }

        public static func < (lhs: Record, rhs: Record) -> Bool { (lhs.hash, lhs.offset) < (rhs.hash, rhs.offset) }
    }

    public struct Header: Equatable, Sendable {
        public var bucketBits: Int
        public var recordCount: Int
        /// The ledger bytes indexed: every whole line in `[0, covered)`.
        public var covered: Int64
        public var tailCRC: UInt32

        public var bucketCount: Int { 1 << bucketBits }
        /// Where the records start in the index file.
        public var recordsOffset: Int64 { Int64(JobIndexFile.headerSize + (bucketCount + 1) * JobIndexFile.entrySize) }
        /// The index file's exact size.
        public var fileSize: Int64 { recordsOffset + Int64(recordCount * JobIndexFile.recordSize) }

        /// The bucket of `hash`, and where its two table entries are.
        public func bucket(of hash: UInt64) -> Int { bucketBits == 0 ? 0 : Int(hash >> UInt64(64 - bucketBits)) }
        public func entryOffset(bucket: Int) -> Int64 { Int64(JobIndexFile.headerSize + bucket * JobIndexFile.entrySize) }
    }

    public enum Failure: Error, Equatable, Sendable {
        case short, magic
        case version(UInt32)
        case headerChecksum, size, table, bucketChecksum, order
    }

    /// The index file of `records` (any order) over `[0, covered)` of a ledger file.
    public static func encode(_ records: [Record], covered: Int64, tailCRC: UInt32) -> [UInt8] {
        let sorted = records.sorted()
        var bits = 0
        while bits < 24, (sorted.count / recordsPerBucket) >> bits > 0 { bits += 1 }
        let header = Header(bucketBits: bits, recordCount: sorted.count, covered: covered, tailCRC: tailCRC)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(header.fileSize))
        bytes += magic
        put(version, &bytes)
        put(UInt32(bits), &bytes)
        put(UInt64(sorted.count), &bytes)
        put(UInt64(bitPattern: covered), &bytes)
        put(tailCRC, &bytes)
        bytes += [UInt8](repeating: 0, count: headerSize - 4 - bytes.count)
        put(CRC32.checksum(bytes), &bytes)
        var encodedRecords: [UInt8] = []
        encodedRecords.reserveCapacity(sorted.count * recordSize)
        for record in sorted {
            put(record.hash, &encodedRecords)
            put(record.offset, &encodedRecords)
        }
        var start = 0
        for bucket in 0..<header.bucketCount {
            var end = start
            while end < sorted.count, header.bucket(of: sorted[end].hash) == bucket { end += 1 }
            put(UInt32(start), &bytes)
            put(CRC32.checksum(encodedRecords[(start * recordSize)..<(end * recordSize)]), &bytes)
            start = end
        }
        let tableCRC = CRC32.checksum(bytes[headerSize...])
        put(UInt32(sorted.count), &bytes)
        put(tableCRC, &bytes)
        return bytes + encodedRecords
    }

    /// The header, checked: the first ``headerSize`` bytes of an index file.
    public static func header(_ bytes: [UInt8]) throws(Failure) -> Header {
        guard bytes.count >= headerSize else { throw .short }
        guard bytes.starts(with: magic) else { throw .magic }
        let version = UInt32(read(bytes, at: 8, width: 4))
        guard version == Self.version else { throw .version(version) }
        guard UInt32(read(bytes, at: headerSize - 4, width: 4)) == CRC32.checksum(bytes[0..<(headerSize - 4)]) else {
            throw .headerChecksum
        }
        let bits = Int(read(bytes, at: 12, width: 4))
        let count = read(bytes, at: 16, width: 8)
        let covered = Int64(bitPattern: read(bytes, at: 24, width: 8))
        guard bits <= 24, count <= UInt64(UInt32.max), covered >= 0 else { throw .headerChecksum }
        return Header(bucketBits: bits, recordCount: Int(count), covered: covered, tailCRC: UInt32(read(bytes, at: 32, width: 4)))
    }

    /// A bucket's span from its two table entries (16 bytes at ``Header/entryOffset(bucket:)``):
    /// its first record, its end, and its records' CRC.
    public static func span(_ entries: [UInt8], header: Header) throws(Failure) -> (start: Int, end: Int, crc: UInt32) {
        guard entries.count == 2 * entrySize else { throw .short }
        let start = Int(read(entries, at: 0, width: 4))
        let end = Int(read(entries, at: entrySize, width: 4))
        guard start <= end, end <= header.recordCount else { throw .table }
        return (start, end, UInt32(read(entries, at: 4, width: 4)))
    }

    /// The records of one bucket (the bytes of its span), checked against its CRC, its place and
    /// its order.
    public static func records(_ bytes: [UInt8], crc: UInt32, bucket: Int, header: Header) throws(Failure) -> [Record] {
        guard bytes.count % recordSize == 0 else { throw .short }
        guard CRC32.checksum(bytes) == crc else { throw .bucketChecksum }
        var records: [Record] = []
        records.reserveCapacity(bytes.count / recordSize)
        for start in stride(from: 0, to: bytes.count, by: recordSize) {
            let record = Record(hash: read(bytes, at: start, width: 8), offset: read(bytes, at: start + 8, width: 8))
            guard header.bucket(of: record.hash) == bucket, records.last.map({ $0 < record }) ?? true else { throw .order }
            records.append(record)
        }
        return records
    }

    /// Every record of a whole index file (to extend it with more lines), each bucket checked.
    public static func allRecords(_ bytes: [UInt8]) throws(Failure) -> (Header, [Record]) {
        let header = try header(Array(bytes.prefix(headerSize)))
        guard Int64(bytes.count) == header.fileSize else { throw .size }
        var records: [Record] = []
        records.reserveCapacity(header.recordCount)
        let base = Int(header.recordsOffset)
        for bucket in 0..<header.bucketCount {
            let at = Int(header.entryOffset(bucket: bucket))
            let (start, end, crc) = try span(Array(bytes[at..<(at + 2 * entrySize)]), header: header)
            guard start == records.count else { throw .table }
            let slice = Array(bytes[(base + start * recordSize)..<(base + end * recordSize)])
            records += try Self.records(slice, crc: crc, bucket: bucket, header: header)
        }
        let tableEnd = Int(header.entryOffset(bucket: header.bucketCount))
        guard records.count == header.recordCount,
            read(bytes, at: tableEnd + 4, width: 4) == CRC32.checksum(bytes[headerSize..<tableEnd])
        else { throw .table }
        return (header, records)
    }

    private static func put(_ value: some FixedWidthInteger, _ bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    private static func read(_ bytes: [UInt8], at offset: Int, width: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in (0..<width).reversed() { value = value << 8 | UInt64(bytes[offset + index]) }
        return value
    }
}
