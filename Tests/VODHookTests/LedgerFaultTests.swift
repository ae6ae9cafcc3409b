#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation
import Logging
import Testing
import VODHook
import VODHookCore

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
        let created = try #require(calls.firstIndex { if case .open(let path, true) = $0 { path.contains(".broken-") } else { false } })
        let cut = try #require(calls[created...].firstIndex(of: .truncate))
        #expect(calls[created..<cut].contains(.syncDirectory(dir.path)), "\(calls)")
    }

    @Test("ledger.seq is renamed into place and the directory synced before the live file is renamed")
    func seqFloorSynced() async throws {
        let dir = TemporaryDataDir()
        let files = FaultyFileSystem()
        let writer = try LedgerWriter(dataDir: dir.path, rotateSize: Self.rotateSize, logger: LedgerFixtures.logger, fileSystem: files)
        for index in 0..<2 { _ = try await writer.append(LedgerFixtures.event("f\(index)")) }
        await writer.close()
        let calls = files.calls
        let floor = try #require(calls.firstIndex(of: .rename(dir.path + "/ledger.seq.tmp", to: dir.path + "/ledger.seq")))
        let rotated = try #require(calls.firstIndex(of: .rename(dir.ledgerPath, to: dir.path + "/ledger-1-2.jsonl")))
        #expect(calls[floor..<rotated].contains(.syncDirectory(dir.path)), "\(calls)")
    }

    @Test("a ledger.seq that cannot be read stops start-up with a message naming it", arguments: ["directory", "garbage", "empty"])
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
