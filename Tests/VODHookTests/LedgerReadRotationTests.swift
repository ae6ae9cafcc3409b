import Foundation
import Synchronization
import Testing
import VODHook
import VODHookCore

/// A reader beside a running server: the server may rotate the live file at any point of a read.
/// The rotations here are played with real files at exact points (after the reader's n-th
/// listing of the directory), as the writer does them: rename the live file to its
/// `ledger-<first>-<last>.jsonl` name, then start a new live file.
@Suite("Ledger reading across a rotation")
struct LedgerReadRotationTests {
    /// One accepted submission per seq, media `m-<seq>`, job `j-<seq>`.
    static func lines(_ seqs: ClosedRange<UInt64>) -> [UInt8] {
        seqs.flatMap { seq in
            LedgerLine.encode(
                seq: seq, at: 1_700_000_000_000,
                record: .submitted(
                    SubmissionRecord(
                        outcome: .accepted, mediaId: "m-\(seq)", aiType: "AIVideoTag", jobId: "j-\(seq)")))
        }
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// Rotates the live file (holding `live`) and starts a new one holding `next` (none yet: caught
    /// between the writer's rename and its new file).
    static func rotate(_ dir: String, live: ClosedRange<UInt64>, next: ClosedRange<UInt64>?) {
        let rotated = dir + "/" + LedgerFileName.rotated(first: live.lowerBound, last: live.upperBound).name
        #expect(rename(dir + "/ledger.jsonl", rotated) == 0)
        if let next { #expect((try? write(lines(next), to: dir + "/ledger.jsonl")) != nil) }
    }

    /// `ledger-1-2.jsonl` and a live file holding seq 3 and 4.
    static func ledger(in dir: borrowing TemporaryDataDir) throws {
        try FileManager.default.createDirectory(atPath: dir.path, withIntermediateDirectories: true)
        try write(lines(1...2), to: dir.path + "/ledger-1-2.jsonl")
        try write(lines(3...4), to: dir.ledgerPath)
    }

    static func seqs(_ reader: LedgerReader) throws -> [UInt64] {
        var seqs: [UInt64] = []
        try reader.forEachLine { line in
            if let entry = try? LedgerLine.read(line.bytes) { seqs.append(entry.seq) }
        }
        return seqs
    }

    static func jobIds(_ book: JobBook) -> [String] { book.rows.compactMap(\.jobId) }

    @Test("a rotation after the listing hides no file: every job is in the book, in order")
    func rotationAfterListing() throws {
        let dir = TemporaryDataDir()
        try Self.ledger(in: dir)
        let path = dir.path
        let reader = LedgerReader(
            dataDir: path,
            listed: { listing in
                if listing == 1 { Self.rotate(path, live: 3...4, next: 5...5) }
            })
        let (book, unreadable) = try JobBook.read(reader)
        #expect(unreadable == 0)
        #expect(Self.jobIds(book) == (1...5).map { "j-\($0)" })
    }

    @Test("rotations on two listings in a row: still every line once, in seq order")
    func rotationsInARow() throws {
        let dir = TemporaryDataDir()
        try Self.ledger(in: dir)
        let path = dir.path
        let reader = LedgerReader(
            dataDir: path,
            listed: { listing in
                if listing == 1 { Self.rotate(path, live: 3...4, next: 5...5) }
                if listing == 2 { Self.rotate(path, live: 5...5, next: 6...7) }
            })
        #expect(try Self.seqs(reader) == Array(1...7))
    }

    @Test("caught between a rotation's rename and the new live file: the renamed file is read whole, nothing more")
    func noLiveFileYet() throws {
        let dir = TemporaryDataDir()
        try Self.ledger(in: dir)
        let path = dir.path
        let reader = LedgerReader(
            dataDir: path,
            listed: { listing in
                if listing == 1 { Self.rotate(path, live: 3...4, next: nil) }
            })
        #expect(try Self.seqs(reader) == Array(1...4))
    }
}
