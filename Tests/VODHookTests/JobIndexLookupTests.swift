import Foundation
import Testing
import VODHook
import VODHookCore

/// `vodhook job` finds a job's lines through each rotated file's sidecar (`index/*.idx`) and a
/// scan of what no sidecar covers; its answer must be the one a scan of every line gives, with
/// sidecars, without them, and with broken ones.
@Suite("Job index: lookups through sidecars")
struct JobIndexLookupTests {
    /// Every job's history through the index, checked against a scan of every line.
    static func histories(_ dataDir: String, _ jobIds: [String], liveTailToPersist: Int64 = 1 << 20) throws -> [[String]] {
        try (jobIds + ["no-such-job"]).map { id in
            let found = try JobHistory.read(dataDir: dataDir, jobId: id, liveTailToPersist: liveTailToPersist)
            let scanned = try JobHistory.scan(dataDir: dataDir, jobId: id)
            #expect(found.lines.map(\.text) == scanned.lines.map(\.text), "lines of \(id)")
            #expect(found.jobs == scanned.jobs, "chain of \(id)")
            #expect(found.chain == scanned.chain, "chain of \(id)")
            return found.lines.map(\.text)
        }
    }

    static func sidecars(_ dataDir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dataDir + "/index")) ?? []).filter { $0.hasSuffix(".idx") }
            .sorted()
    }

    static func rotatedNames(_ dataDir: String) throws -> [String] {
        try LedgerReader(dataDir: dataDir).files().filter { $0 != .live }.map(\.name)
    }

    @Test("a lookup equals a scan of every file, chains included, and writes the rotated files' sidecars")
    func lookupEqualsScan() throws {
        let dir = TemporaryDataDir()
        let fixture = try JobLedgerFixture(jobs: 72)
        try fixture.write(to: dir.path, perFile: 24)
        let rotated = try Self.rotatedNames(dir.path)
        #expect(rotated.count > 5)
        // The fixture holds what is to be found: a chain whose lines lie in several files.
        let chain = try JobHistory.scan(dataDir: dir.path, jobId: JobLedgerFixture.resubmitted(2))
        #expect(chain.jobs == [JobLedgerFixture.jobId(2), JobLedgerFixture.resubmitted(2)])
        #expect(Set(chain.lines.map(\.entry.kind.description)) == ["submitted", "event", "handled", "given_up"])
        let files = try LedgerReader(dataDir: dir.path).files()
        #expect(Set(chain.lines.map { LedgerFileName.holding($0.entry.seq, among: files) }).count > 2)

        #expect(Self.sidecars(dir.path).isEmpty)
        let first = try Self.histories(dir.path, fixture.jobIds)
        #expect(Self.sidecars(dir.path) == rotated.map { $0 + ".idx" }.sorted())
        // The second time from the sidecars: the same.
        #expect(try Self.histories(dir.path, fixture.jobIds) == first)
    }

    @Test("a deleted, torn, flipped, foreign or empty sidecar gives the same answer")
    func brokenSidecars() throws {
        let dir = TemporaryDataDir()
        let fixture = try JobLedgerFixture(jobs: 48)
        try fixture.write(to: dir.path, perFile: 16)
        let answers = try Self.histories(dir.path, fixture.jobIds)
        let sidecars = Self.sidecars(dir.path)
        #expect(sidecars.count >= 5)
        let index = dir.path + "/index/"
        func bytes(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: index + name))) }
        func put(_ name: String, _ bytes: [UInt8]) throws { try Data(bytes).write(to: URL(fileURLWithPath: index + name)) }

        // Torn: cut in the records.
        var torn = try bytes(sidecars[0])
        torn.removeLast(20)
        try put(sidecars[0], torn)
        // Flipped: one bit of every record's offset (every bucket's checksum fails, the header's holds).
        var flipped = try bytes(sidecars[1])
        let (header, _) = try JobIndexFile.allRecords(flipped)
        for record in 0..<header.recordCount { flipped[Int(header.recordsOffset) + record * JobIndexFile.recordSize + 8] ^= 0x04 }
        try put(sidecars[1], flipped)
        #expect(throws: JobIndexFile.Failure.self) { try JobIndexFile.allRecords(flipped) }
        // Foreign: another file's sidecar under this name (its tail checksum is not this file's).
        try put(sidecars[2], try bytes(sidecars[3]))
        // Empty, and deleted.
        try put(sidecars[3], [])
        try FileManager.default.removeItem(atPath: index + sidecars[4])

        #expect(try Self.histories(dir.path, fixture.jobIds) == answers)
        // Every sidecar deleted: the same answers again.
        try FileManager.default.removeItem(atPath: index)
        #expect(try Self.histories(dir.path, fixture.jobIds) == answers)
        #expect(Self.sidecars(dir.path).count == sidecars.count)
    }

    @Test("the live file's sidecar covers what was there; lines appended or rewritten after it are found too")
    func liveFileSidecar() throws {
        let dir = TemporaryDataDir()
        let fixture = try JobLedgerFixture(jobs: 36)
        // Half the lines, all in the live file: its sidecar is written over them.
        try fixture.write(to: dir.path, perFile: .max, count: fixture.lineCount / 2)
        _ = try Self.histories(dir.path, fixture.jobIds, liveTailToPersist: 1)
        #expect(Self.sidecars(dir.path) == [LedgerFileName.liveName + ".idx"])

        // The other half appended after its end: jobs with lines on both sides of it.
        try fixture.write(to: dir.path, perFile: .max)
        _ = try Self.histories(dir.path, fixture.jobIds, liveTailToPersist: .max)

        // Cut below its end (a failed batch's lines cut), then other lines written over the cut.
        try fixture.write(to: dir.path, perFile: .max, count: fixture.lineCount / 4)
        _ = try Self.histories(dir.path, fixture.jobIds, liveTailToPersist: .max)
        let other = try JobLedgerFixture(jobs: 42)
        try other.write(to: dir.path, perFile: .max)
        _ = try Self.histories(dir.path, other.jobIds, liveTailToPersist: .max)
    }

    @Test("serve's writer writes the sidecar of each file it rotates")
    func writerWritesSidecars() async throws {
        let dir = TemporaryDataDir()
        let writer = try LedgerWriter(dataDir: dir.path, rotateSize: 1, logger: LedgerFixtures.logger)
        for index in 0..<4 { _ = try await writer.append(try LedgerFixtures.event("job-\(index)")) }
        await writer.close()
        let rotated = try Self.rotatedNames(dir.path)
        #expect(rotated.count >= 3)
        // Written off the writer thread: waited for, not timed.
        var written: [String] = []
        for _ in 0..<500 {
            written = Self.sidecars(dir.path)
            if written.count == rotated.count { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(written == rotated.map { $0 + ".idx" }.sorted())
        for name in rotated {
            let (header, records) = try JobIndexFile.allRecords(
                Array(try Data(contentsOf: URL(fileURLWithPath: dir.path + "/index/" + name + ".idx"))))
            let size = try FileManager.default.attributesOfItem(atPath: dir.path + "/" + name)[.size] as? Int
            #expect(Int(header.covered) == size)
            #expect(records.count == 1)
        }
        // And a lookup through them finds each job.
        for index in 0..<4 { #expect(try JobHistory.read(dataDir: dir.path, jobId: "job-\(index)").lines.count == 1) }
    }

    @Test("at a rotation, the sidecars of rotated files no longer in the data directory are removed, and no other")
    func orphansRemoved() async throws {
        let dir = TemporaryDataDir()
        try FileManager.default.createDirectory(atPath: dir.path + "/index", withIntermediateDirectories: true)
        // An archived file's sidecar, and files that are not sidecars of rotated files.
        for name in ["ledger-900-999.jsonl.idx", "ledger.jsonl.idx", "notes.txt", "ledger-1-1.jsonl.idx.tmp.1"] {
            #expect(FileManager.default.createFile(atPath: dir.path + "/index/" + name, contents: Data([1])))
        }
        let writer = try LedgerWriter(dataDir: dir.path, rotateSize: 1, logger: LedgerFixtures.logger)
        for index in 0..<3 { _ = try await writer.append(try LedgerFixtures.event("job-\(index)")) }
        await writer.close()
        let rotated = try Self.rotatedNames(dir.path)
        var left: [String] = []
        for _ in 0..<500 {
            left = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path + "/index")) ?? []).sorted()
            if !left.contains("ledger-900-999.jsonl.idx"), Self.sidecars(dir.path).count == rotated.count + 1 { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(!left.contains("ledger-900-999.jsonl.idx"))
        #expect(
            Set(left)
                == Set(rotated.map { $0 + ".idx" } + ["ledger.jsonl.idx", "notes.txt", "ledger-1-1.jsonl.idx.tmp.1"]))
    }
}
