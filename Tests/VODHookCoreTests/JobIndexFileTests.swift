import Testing
import VODHookCore

/// The job index file's codec: what is written is found again, and a torn, flipped or foreign
/// file is an error, never a different answer.
@Suite("Job index file codec")
struct JobIndexFileTests {
    /// `count` records, several under some hashes (a JobId has several lines).
    static func records(_ count: Int) -> [JobIndexFile.Record] {
        (0..<count).map { index in
            JobIndexFile.Record(hash: JobIndexKey.job("job-\(index / 3)").hash, offset: UInt64(index) * 97)
        }
    }

    /// The offsets under `hash`, read the way a lookup reads the file: header, two table entries, one bucket.
    static func lookup(_ file: [UInt8], _ hash: UInt64) throws -> [UInt64] {
        let header = try JobIndexFile.header(Array(file.prefix(JobIndexFile.headerSize)))
        let bucket = header.bucket(of: hash)
        let at = Int(header.entryOffset(bucket: bucket))
        let (start, end, crc) = try JobIndexFile.span(Array(file[at..<(at + 2 * JobIndexFile.entrySize)]), header: header)
        let from = Int(header.recordsOffset) + start * JobIndexFile.recordSize
        let bytes = Array(file[from..<(from + (end - start) * JobIndexFile.recordSize)])
        return try JobIndexFile.records(bytes, crc: crc, bucket: bucket, header: header).filter { $0.hash == hash }.map(\.offset)
    }

    @Test("round trip: every record found under its hash, header fields kept", arguments: [0, 1, 31, 32, 1000, 5000])
    func roundTrip(count: Int) throws {
        let records = Self.records(count)
        let file = JobIndexFile.encode(records.shuffled(), covered: 123_456, tailCRC: 0xDEAD_BEEF)
        let (header, decoded) = try JobIndexFile.allRecords(file)
        #expect(decoded == records.sorted())
        #expect(header.covered == 123_456)
        #expect(header.tailCRC == 0xDEAD_BEEF)
        #expect(Int64(file.count) == header.fileSize)
        #expect(header.recordCount / header.bucketCount <= 64)
        for job in 0..<(count / 3 + 1) {
            let expected = records.filter { $0.hash == JobIndexKey.job("job-\(job)").hash }.map(\.offset)
            #expect(try Self.lookup(file, JobIndexKey.job("job-\(job)").hash) == expected)
        }
        #expect(try Self.lookup(file, JobIndexKey.job("absent").hash).isEmpty)
    }

    @Test("every single flipped byte is detected by a whole read")
    func flippedBytes() throws {
        let file = JobIndexFile.encode(Self.records(200), covered: 9_999, tailCRC: 7)
        for index in file.indices {
            var broken = file
            broken[index] ^= 0x10
            #expect(throws: JobIndexFile.Failure.self, "byte \(index)") { try JobIndexFile.allRecords(broken) }
        }
    }

    @Test("a flipped record is detected by the lookup that reads its bucket")
    func flippedRecordLookup() throws {
        let records = Self.records(300)
        let file = JobIndexFile.encode(records, covered: 1, tailCRC: 0)
        let header = try JobIndexFile.header(Array(file.prefix(JobIndexFile.headerSize)))
        for (position, record) in records.sorted().enumerated() {
            var broken = file
            broken[Int(header.recordsOffset) + position * JobIndexFile.recordSize + 9] ^= 0x01
            #expect(throws: JobIndexFile.Failure.bucketChecksum) { try Self.lookup(broken, record.hash) }
        }
    }

    @Test("torn files: every cut is detected")
    func tornFiles() throws {
        let file = JobIndexFile.encode(Self.records(100), covered: 1, tailCRC: 0)
        for length in stride(from: 0, to: file.count, by: 7) {
            #expect(throws: JobIndexFile.Failure.self, "cut at \(length)") {
                try JobIndexFile.allRecords(Array(file.prefix(length)))
            }
        }
        #expect(throws: JobIndexFile.Failure.short) { try JobIndexFile.header(Array(file.prefix(10))) }
    }

    @Test("another format or version is refused by the header")
    func otherVersion() throws {
        var file = JobIndexFile.encode(Self.records(10), covered: 1, tailCRC: 0)
        file[8] = 2
        #expect(throws: JobIndexFile.Failure.version(2)) { try JobIndexFile.header(Array(file.prefix(JobIndexFile.headerSize))) }
        file[0] = UInt8(ascii: "X")
        #expect(throws: JobIndexFile.Failure.magic) { try JobIndexFile.header(Array(file.prefix(JobIndexFile.headerSize))) }
    }

    /// Sidecars on disk hold these hashes: a change must come with a new version.
    @Test("key hashes are stable across builds")
    func stableHashes() {
        #expect(JobIndexKey.job("job-1").hash == JobIndexKey.job("job-1").hash)
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(
            [JobIndexKey.job("a"), .chain("a"), .eventSeq(1), .unanswered(1)].map(\.hash)
                == [Self.pinned.job, Self.pinned.chain, Self.pinned.eventSeq, Self.pinned.unanswered])
    }

    static let pinned: (job: UInt64, chain: UInt64, eventSeq: UInt64, unanswered: UInt64) = (
        5_403_968_398_167_155_589, 5_669_231_822_168_592_982, 3_601_679_744_721_796_694, 4_511_517_021_618_133_056
    )

    @Test("a line's keys: JobId, chain (not its own), an event's handler lines, an unanswered submission")
    func keys() {
        var submitted = LedgerEntry(seq: 5, at: 0, kind: .submitted, jobId: "b")
        submitted.chain = "a"
        #expect(JobIndexKey.keys(of: submitted) == [.job("b"), .chain("a")])
        submitted.chain = "b"
        #expect(JobIndexKey.keys(of: submitted) == [.job("b")])
        var sending = LedgerEntry(seq: 6, at: 0, kind: .submitted)
        sending.outcome = .sending
        #expect(JobIndexKey.keys(of: sending) == [.unanswered(6)])
        var replay = LedgerEntry(seq: 7, at: 0, kind: .replay, jobId: "b")
        replay.eventSeq = 3
        #expect(JobIndexKey.keys(of: replay) == [.job("b"), .eventSeq(3)])
        #expect(JobIndexKey.keys(of: LedgerEntry(seq: 8, at: 0, kind: .other("later"))).isEmpty)
    }
}
