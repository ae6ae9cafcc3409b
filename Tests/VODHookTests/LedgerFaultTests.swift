import Foundation
import Logging
import Testing
import VODHook
import VODHookCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Faults of the ledger's files: what the writer does when a call fails, and which directory
/// entries it makes durable. Faults real files can make are made with real files; the others go
/// through ``FaultyFileSystem``.
@Suite("Ledger file faults")
struct LedgerFaultTests {
    /// Lines of about 330 bytes: with this size the live file rotates every two lines.
    static let rotateSize: Int64 = 400

    /// The descriptors this process holds on files under `directory` (the test's own data directory).
    static func openFiles(under directory: String) -> [String] {
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return fds.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + $0) }
            .filter { $0.hasPrefix(directory + "/") }
    }

    static func verify(_ dir: borrowing TemporaryDataDir, lines: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let report = try LedgerVerifier(dataDir: dir.path).verify()
        #expect(report.isClean, "\(report.problems) in \(report.files)", sourceLocation: sourceLocation)
        #expect(report.lines == lines, sourceLocation: sourceLocation)
    }

    // MARK: Bytes past the durable end

    @Test("bytes past the durable end (a cut that failed) are cut before the next batch, never written after")
    func strayBytesAreCutFirst() async throws {
        let dir = TemporaryDataDir()
        let writer = try LedgerWriter(dataDir: dir.path, logger: LedgerFixtures.logger)
        #expect(try await writer.append(LedgerFixtures.event("a")) == .recorded(seq: 1))
        // What a failed batch leaves when its ftruncate fails too: a partial line past the durable end.
        try dir.appendToLedger(#"{"seq":2,"at":"2026-11-2"#)
        #expect(try await writer.append(LedgerFixtures.event("b")).seq == 2)
        await writer.close()
        #expect(try dir.ledgerLines().map(LedgerFixtures.seq(of:)) == [1, 2])
        try Self.verify(dir, lines: 2)
    }

    @Test(
        "while the stray bytes cannot be cut, appends fail (503); once they can, the next append is written and the failed seq stays retired"
    )
    func strayBytesStayFailing() async throws {
        let dir = TemporaryDataDir()
        let files = FaultyFileSystem()
        let writer = try LedgerWriter(dataDir: dir.path, logger: LedgerFixtures.logger, fileSystem: files)
        #expect(try await writer.append(LedgerFixtures.event("a")) == .recorded(seq: 1))
        try dir.appendToLedger("junk")
        files.fail(times: 2) { call, _ in call == .truncate }
        await #expect(throws: LedgerWriteError.self) { _ = try await writer.append(LedgerFixtures.event("b")) }
        #expect(!writer.isReady)
        #expect(try await writer.append(LedgerFixtures.event("c")).seq == 3)
        await writer.close()
        #expect(try dir.ledgerLines().map(LedgerFixtures.seq(of:)) == [1, 3])
        try Self.verify(dir, lines: 2)
    }

    // MARK: Rotation

    @Test(
        "when the new live file cannot be created after the rename, the rename is undone and appends stay in a truly named file")
    func rotationOpenFails() async throws {
        let dir = TemporaryDataDir()
        let files = FaultyFileSystem()
        let writer = try LedgerWriter(
            dataDir: dir.path, rotateSize: Self.rotateSize, logger: LedgerFixtures.logger, fileSystem: files)
        let live = dir.ledgerPath
        files.fail { call, _ in call == .open(live, creates: true) }
        for index in 0..<6 { _ = try await writer.append(LedgerFixtures.event("o\(index)")) }
        await writer.close()
        #expect(files.calls.contains(.rename(live, to: dir.path + "/ledger-1-2.jsonl")), "no rotation was tried: \(files.calls)")
        try Self.verify(dir, lines: 6)
        #expect(Self.openFiles(under: dir.path).isEmpty)
    }

    @Test(
        "when neither the new live file nor the rename back works, appends fail (503) until the live file can be created, never landing in the rotated file"
    )
    func rotationOpenAndRenameBackFail() async throws {
        let dir = TemporaryDataDir()
        let files = FaultyFileSystem()
        let writer = try LedgerWriter(
            dataDir: dir.path, rotateSize: Self.rotateSize, logger: LedgerFixtures.logger, fileSystem: files)
        let live = dir.ledgerPath
        files.fail(times: 2) { call, _ in call == .open(live, creates: true) }
        files.fail { call, _ in if case .rename(_, let to) = call { to == live } else { false } }
        #expect(try await writer.append(LedgerFixtures.event("a")) == .recorded(seq: 1))
        #expect(try await writer.append(LedgerFixtures.event("b")) == .recorded(seq: 2))
        // The rotation after seq 2 (run by the writer thread after it answered b, so looked at
        // only once the next batch, taken after it, has failed) renamed the file away and could
        // not put it back.
        await #expect(throws: LedgerWriteError.self) { _ = try await writer.append(LedgerFixtures.event("c")) }
        #expect(FileManager.default.fileExists(atPath: dir.path + "/ledger-1-2.jsonl"))
        #expect(try await writer.append(LedgerFixtures.event("d")) == .recorded(seq: 4))
        await writer.close()
        try Self.verify(dir, lines: 3)
        #expect(try dir.ledgerLines().map(LedgerFixtures.seq(of:)) == [4])
        #expect(Self.openFiles(under: dir.path).isEmpty)
    }

    @Test(
        "when the directory sync after a rotation fails, the writer moves to the new file, leaks no descriptor, and syncs the directory before the next 200"
    )
    func rotationDirectorySyncFails() async throws {
        let dir = TemporaryDataDir()
        let files = FaultyFileSystem()
        let writer = try LedgerWriter(
            dataDir: dir.path, rotateSize: Self.rotateSize, logger: LedgerFixtures.logger, fileSystem: files)
        let live = dir.ledgerPath
        let directory = dir.path
        let start = files.calls.count
        files.fail { call, previous in call == .syncDirectory(directory) && previous == .open(live, creates: true) }
        for index in 0..<3 { _ = try await writer.append(LedgerFixtures.event("s\(index)")) }
        // The sync failed once: the next acknowledged line came after a sync of the directory that worked.
        let calls = Array(files.calls[start...])
        let failed = try #require(
            calls.indices.dropLast().first {
                calls[$0] == .open(live, creates: true) && calls[$0 + 1] == .syncDirectory(directory)
            })
        #expect(calls[(failed + 2)...].contains(.syncDirectory(directory)), "\(calls)")
        await writer.close()
        try Self.verify(dir, lines: 3)
        #expect(try dir.ledgerLines().map(LedgerFixtures.seq(of:)) == [3])
        #expect(Self.openFiles(under: dir.path).isEmpty, "descriptors left open: \(Self.openFiles(under: dir.path))")
    }

    @Test("a rotation that keeps failing is logged once, not once per batch")
    func rotationFailureLogIsBounded() async throws {
        let dir = TemporaryDataDir()
        let files = FaultyFileSystem()
        let lines = DeferredMetadataLogHandlerTests.Lines()
        let logger = Logger(label: "test") { StreamLogHandler(label: $0, stream: lines, metadataProvider: nil) }
        let writer = try LedgerWriter(dataDir: dir.path, rotateSize: Self.rotateSize, logger: logger, fileSystem: files)
        let live = dir.ledgerPath
        files.fail(times: .max) { call, _ in if case .rename(let from, _) = call { from == live } else { false } }
        for index in 0..<30 { _ = try await writer.append(LedgerFixtures.event("l\(index)")) }
        await writer.close()
        let failures = lines.lines.filter { $0.contains("rotation failed") }
        #expect(failures.count == 1, "\(failures)")
        try Self.verify(dir, lines: 30)
    }

    // MARK: Directory entries made durable

    @Test("a new data directory's entry is synced in its parent")
    func dataDirectoryEntrySynced() async throws {
        let dir = TemporaryDataDir()
        let dataDir = dir.path + "/data"
        let files = FaultyFileSystem()
        let writer = try LedgerWriter(dataDir: dataDir, logger: LedgerFixtures.logger, fileSystem: files)
        await writer.close()
        let calls = files.calls
        let made = try #require(calls.firstIndex(of: .makeDirectory(dataDir)))
        #expect(calls[made...].contains(.syncDirectory(dir.path)), "\(calls)")
        let madeParent = try #require(calls.firstIndex(of: .makeDirectory(dir.path)))
        #expect(calls[madeParent...].contains(.syncDirectory((dir.path as NSString).deletingLastPathComponent)), "\(calls)")
    }

    @Test("the broken copy of a torn tail is synced into the directory before the live file is cut")
    func brokenCopySynced() async throws {
        let dir = TemporaryDataDir()
        try FileManager.default.createDirectory(atPath: dir.path, withIntermediateDirectories: true)
        try #"{"seq":1,"at":"x"#.write(toFile: dir.ledgerPath, atomically: false, encoding: .utf8)
        let files = FaultyFileSystem()
        let writer = try LedgerWriter(dataDir: dir.path, logger: LedgerFixtures.logger, fileSystem: files)
        await writer.close()
        let calls = files.calls
        let created = try #require(
            calls.firstIndex { if case .open(let path, true) = $0 { path.contains(".broken-") } else { false } })
        let cut = try #require(calls[created...].firstIndex(of: .truncate))
        #expect(calls[created..<cut].contains(.syncDirectory(dir.path)), "\(calls)")
    }

    @Test("ledger.seq is renamed into place and the directory synced before the live file is renamed")
    func seqFloorSynced() async throws {
        let dir = TemporaryDataDir()
        let files = FaultyFileSystem()
        let writer = try LedgerWriter(
            dataDir: dir.path, rotateSize: Self.rotateSize, logger: LedgerFixtures.logger, fileSystem: files)
        for index in 0..<2 { _ = try await writer.append(LedgerFixtures.event("f\(index)")) }
        await writer.close()
        let calls = files.calls
        let floor = try #require(calls.firstIndex(of: .rename(dir.path + "/ledger.seq.tmp", to: dir.path + "/ledger.seq")))
        let rotated = try #require(calls.firstIndex(of: .rename(dir.ledgerPath, to: dir.path + "/ledger-1-2.jsonl")))
        #expect(calls[floor..<rotated].contains(.syncDirectory(dir.path)), "\(calls)")
    }

    @Test(
        "a ledger.seq that cannot be read stops start-up with a message naming it", arguments: ["directory", "garbage", "empty"])
    func unreadableSeqFloor(_ kind: String) async throws {
        let dir = TemporaryDataDir()
        let floor = dir.path + "/ledger.seq"
        try FileManager.default.createDirectory(atPath: dir.path, withIntermediateDirectories: true)
        switch kind {
        case "directory": try FileManager.default.createDirectory(atPath: floor, withIntermediateDirectories: false)
        case "garbage": try "12x\n".write(toFile: floor, atomically: false, encoding: .utf8)
        default: try "".write(toFile: floor, atomically: false, encoding: .utf8)
        }
        let path = dir.path
        #expect {
            _ = try LedgerWriter(dataDir: path, logger: LedgerFixtures.logger)
        } throws: { error in
            "\(error)".contains(floor)
        }
        // The lock was released: once the file is fixed, the writer starts.
        try? FileManager.default.removeItem(atPath: floor)
        let writer = try LedgerWriter(dataDir: dir.path, logger: LedgerFixtures.logger)
        await writer.close()
    }
}
