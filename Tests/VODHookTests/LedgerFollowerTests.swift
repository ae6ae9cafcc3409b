import Foundation
import Testing
import VODHook
import VODHookCore

/// The follower under `vodhook tail`, on real files changed between polls as the writer changes
/// them: appends (a line arriving in pieces), rotations (rename, then a new live file), a cut.
@Suite("Following the ledger")
struct LedgerFollowerTests {
    typealias Rotation = LedgerReadRotationTests

    static func poll(_ follower: LedgerFollower) throws -> [UInt64] {
        var seqs: [UInt64] = []
        try follower.poll { _, entry in seqs.append(entry?.seq ?? 0) }
        return seqs
    }

    static func append(_ bytes: [UInt8], to path: String) throws {
        guard let handle = FileHandle(forWritingAtPath: path) else { throw CocoaError(.fileNoSuchFile) }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(bytes))
    }

    @Test("from the end: the history is skipped, and a line being written is shown once whole")
    func fromTheEnd() throws {
        let dir = TemporaryDataDir()
        try Rotation.ledger(in: dir)
        let fifth = Rotation.lines(5...5)
        try Self.append(Array(fifth.prefix(10)), to: dir.ledgerPath)  // seq 5, its first bytes only
        let follower = try LedgerFollower(dataDir: dir.path, start: .end)
        #expect(try Self.poll(follower) == [])
        try Self.append(Array(fifth.dropFirst(10)) + Rotation.lines(6...6), to: dir.ledgerPath)
        #expect(try Self.poll(follower) == [5, 6])
        #expect(try Self.poll(follower) == [])
    }

    @Test("from the end past a last line longer than one read-back chunk: its file, once rotated, is not read again")
    func fromTheEndLongLine() throws {
        let dir = TemporaryDataDir()
        try Rotation.ledger(in: dir)
        let long = LedgerLine.encode(
            seq: 5, at: 1_700_000_000_000,
            record: .submitted(
                SubmissionRecord(
                    outcome: .accepted, mediaId: String(repeating: "m", count: 200_000), aiType: "AIVideoTag", jobId: "j-5")))
        try Self.append(long, to: dir.ledgerPath)
        let follower = try LedgerFollower(dataDir: dir.path, start: .end)
        Rotation.rotate(dir.path, live: 3...5, next: nil)
        #expect(try Self.poll(follower) == [])
        try Rotation.write(Rotation.lines(6...6), to: dir.ledgerPath)
        #expect(try Self.poll(follower) == [6])
    }

    @Test("from a seq: older files and lines are skipped, then new lines follow")
    func fromASeq() throws {
        let dir = TemporaryDataDir()
        try Rotation.ledger(in: dir)
        let follower = try LedgerFollower(dataDir: dir.path, start: .seq(2))
        #expect(try Self.poll(follower) == [2, 3, 4])
        try Self.append(Rotation.lines(5...5), to: dir.ledgerPath)
        #expect(try Self.poll(follower) == [5])
    }

    @Test("two rotations between polls, the last caught before its new file: every line once, in order")
    func rotationsBetweenPolls() throws {
        let dir = TemporaryDataDir()
        try Rotation.ledger(in: dir)
        let follower = try LedgerFollower(dataDir: dir.path, start: .end)
        try Self.append(Rotation.lines(5...5), to: dir.ledgerPath)
        Rotation.rotate(dir.path, live: 3...5, next: 6...7)
        Rotation.rotate(dir.path, live: 6...7, next: nil)
        #expect(try Self.poll(follower) == [5, 6, 7])
        try Rotation.write(Rotation.lines(8...8), to: dir.ledgerPath)
        #expect(try Self.poll(follower) == [8])
        try Self.append(Rotation.lines(9...9), to: dir.ledgerPath)
        #expect(try Self.poll(follower) == [9])
    }

    @Test("lines the writer cut (a failed write) do not hide the lines written after the cut")
    func afterACut() throws {
        let dir = TemporaryDataDir()
        try Rotation.ledger(in: dir)
        let follower = try LedgerFollower(dataDir: dir.path, start: .end)
        let kept = try Data(contentsOf: URL(fileURLWithPath: dir.ledgerPath)).count
        try Self.append(Rotation.lines(5...6), to: dir.ledgerPath)
        #expect(try Self.poll(follower) == [5, 6])
        #expect(truncate(dir.ledgerPath, off_t(kept)) == 0)
        #expect(try Self.poll(follower) == [])
        try Self.append(Rotation.lines(7...7), to: dir.ledgerPath)
        #expect(try Self.poll(follower) == [7])
    }
}
