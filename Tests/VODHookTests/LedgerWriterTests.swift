import Foundation
import Testing
import VODHook
import VODHookCore

@Suite("Ledger writer")
struct LedgerWriterTests {
    @Test("an append returns once its line is in the file") func appendIsDurable() async throws {
        let dir = TemporaryDataDir()
        let writer = try LedgerWriter(dataDir: dir.path, logger: LedgerFixtures.logger)
        let outcome = try await writer.append(LedgerFixtures.event("a"))
        #expect(outcome == .recorded(seq: 1))
        // Read while the writer is still open: the line is there before close.
        let lines = try dir.ledgerLines()
        #expect(lines.count == 1)
        #expect(try LedgerLine.decode(Array(lines[0].utf8)).jobId == "a")
        await writer.close()
    }

    @Test("concurrent appends each get their own line, seqs dense and in file order") func concurrentAppends() async throws {
        let dir = TemporaryDataDir()
        let writer = try LedgerWriter(dataDir: dir.path, logger: LedgerFixtures.logger)
        let seqs = try await withThrowingTaskGroup(of: UInt64.self) { group in
            for index in 0..<200 {
                group.addTask { try await writer.append(LedgerFixtures.event("job-\(index)")).seq }
            }
            return try await group.reduce(into: [UInt64]()) { $0.append($1) }
        }
        await writer.close()
        #expect(seqs.sorted() == Array(1...200))
        let fileSeqs = try dir.ledgerLines().map(LedgerFixtures.seq(of:))
        #expect(fileSeqs == Array(1...200))
    }

    @Test("records appended together stay together, in order, among concurrent single appends") func groups() async throws {
        let dir = TemporaryDataDir()
        let writer = try LedgerWriter(dataDir: dir.path, logger: LedgerFixtures.logger)
        _ = try await writer.append(LedgerFixtures.event("known"))
        let groups = try await withThrowingTaskGroup(of: [UInt64]?.self) { group in
            for index in 0..<50 {
                group.addTask {
                    _ = try await writer.append(LedgerFixtures.event("single-\(index)"))
                    return nil
                }
                group.addTask {
                    try await writer.append((0..<3).map { try LedgerFixtures.event("group-\(index)-\($0)") }).map(\.seq)
                }
            }
            var groups: [[UInt64]] = []
            for try await seqs in group { if let seqs { groups.append(seqs) } }
            return groups
        }
        #expect(groups.count == 50)
        for seqs in groups { #expect(seqs == [seqs[0], seqs[0] + 1, seqs[0] + 2], "a group was split or reordered: \(seqs)") }
        // A record already recorded is a duplicate inside a group too; the others are written.
        let mixed = try await writer.append([LedgerFixtures.event("known"), LedgerFixtures.event("new")])
        #expect(mixed.first == .duplicate(seq: 1))
        if case .recorded = mixed.last {} else { Issue.record("the new record was not written: \(mixed)") }
        #expect(try await writer.append([]).isEmpty)
        await writer.close()
        #expect(try dir.ledgerLines().map(LedgerFixtures.seq(of:)) == Array(1...202))
    }

    @Test("a retry of a recorded event is answered with the first line's seq and writes nothing") func duplicate() async throws {
        let dir = TemporaryDataDir()
        let writer = try LedgerWriter(dataDir: dir.path, logger: LedgerFixtures.logger)
        #expect(try await writer.append(LedgerFixtures.event("a")) == .recorded(seq: 1))
        #expect(try await writer.append(LedgerFixtures.event("b")) == .recorded(seq: 2))
        #expect(try await writer.append(LedgerFixtures.event("a")) == .duplicate(seq: 1))
        #expect(try await writer.append(LedgerFixtures.event("a", status: "fail")) == .recorded(seq: 3))
        await writer.close()
        #expect(try dir.ledgerLines().count == 3)
    }

    @Test("retries arriving together are written once") func simultaneousRetries() async throws {
        let dir = TemporaryDataDir()
        let writer = try LedgerWriter(dataDir: dir.path, logger: LedgerFixtures.logger)
        let outcomes = try await withThrowingTaskGroup(of: LedgerWriter.Outcome.self) { group in
            for _ in 0..<50 { group.addTask { try await writer.append(LedgerFixtures.event("same")) } }
            return try await group.reduce(into: [LedgerWriter.Outcome]()) { $0.append($1) }
        }
        await writer.close()
        #expect(outcomes.filter { $0 == .recorded(seq: 1) }.count == 1)
        #expect(outcomes.filter { $0 == .duplicate(seq: 1) }.count == 49)
        #expect(try dir.ledgerLines().count == 1)
    }

    @Test("after a restart seq continues and earlier events are still known") func restart() async throws {
        let dir = TemporaryDataDir()
        do {
            let writer = try LedgerWriter(dataDir: dir.path, logger: LedgerFixtures.logger)
            _ = try await writer.append(LedgerFixtures.event("a"))
            _ = try await writer.append(LedgerFixtures.event("b"))
            await writer.close()
        }
        let writer = try LedgerWriter(dataDir: dir.path, logger: LedgerFixtures.logger)
        #expect(try await writer.append(LedgerFixtures.event("a")) == .duplicate(seq: 1))
        #expect(try await writer.append(LedgerFixtures.event("c")) == .recorded(seq: 3))
        await writer.close()
    }

    @Test("a second writer on the same data directory is refused while the first holds it") func oneWriter() async throws {
        let dir = TemporaryDataDir()
        let first = try LedgerWriter(dataDir: dir.path, logger: LedgerFixtures.logger)
        #expect {
            _ = try LedgerWriter(dataDir: dir.path, logger: LedgerFixtures.logger)
        } throws: { error in
            guard case DataDirectoryError.inUse(_, let pid) = error else { return false }
            return pid == getpid() && "\(error)".contains("in use by another vodhook")
        }
        await first.close()
        let second = try LedgerWriter(dataDir: dir.path, logger: LedgerFixtures.logger)
        await second.close()
    }

    @Test("a torn last line is moved aside and never reused as a seq") func tornTail() async throws {
        let dir = TemporaryDataDir()
        do {
            let writer = try LedgerWriter(dataDir: dir.path, logger: LedgerFixtures.logger)
            _ = try await writer.append(LedgerFixtures.event("a"))
            _ = try await writer.append(LedgerFixtures.event("b"))
            await writer.close()
        }
        let fragment = #"{"seq":3,"at":"2026-11-2"#
        try dir.appendToLedger(fragment)

        let writer = try LedgerWriter(dataDir: dir.path, logger: LedgerFixtures.logger)
        #expect(try await writer.append(LedgerFixtures.event("c")) == .recorded(seq: 4))
        await writer.close()
        let broken = try dir.files().filter { $0.hasPrefix("ledger.jsonl.broken-") }
        #expect(broken.count == 1)
        #expect(try String(contentsOfFile: dir.path + "/" + broken[0], encoding: .utf8) == fragment)
        #expect(try dir.ledgerLines().map(LedgerFixtures.seq(of:)) == [1, 2, 4])
        #expect(try LedgerVerifier(dataDir: dir.path).verify().isClean)
    }

    @Test("rotation renames the full file, seq continues, and readers see every file") func rotation() async throws {
        let dir = TemporaryDataDir()
        let writer = try LedgerWriter(dataDir: dir.path, rotateSize: 400, logger: LedgerFixtures.logger)
        for index in 0..<10 { _ = try await writer.append(LedgerFixtures.event("r\(index)")) }
        await writer.close()
        let rotated = try dir.files().filter { LedgerFileName($0).map { $0 != .live } ?? false }
        #expect(rotated.count >= 2)
        let report = try LedgerVerifier(dataDir: dir.path).verify()
        #expect(report.isClean, "\(report.problems)")
        #expect(report.lines == 10)
        #expect(report.firstSeq == 1 && report.lastSeq == 10)

        // Even with the rotated files archived away, seq never goes back.
        for name in rotated { try FileManager.default.removeItem(atPath: dir.path + "/" + name) }
        let reopened = try LedgerWriter(dataDir: dir.path, rotateSize: 400, logger: LedgerFixtures.logger)
        let next = try await reopened.append(LedgerFixtures.event("after"))
        await reopened.close()
        #expect(next.seq == 11)
    }

    @Test("a live file left by an earlier run is rotated under the seqs it holds") func rotationAfterRestart() async throws {
        let dir = TemporaryDataDir()
        do {
            let writer = try LedgerWriter(dataDir: dir.path, logger: LedgerFixtures.logger)
            _ = try await writer.append(LedgerFixtures.event("before"))
            await writer.close()
        }
        let writer = try LedgerWriter(dataDir: dir.path, rotateSize: 400, logger: LedgerFixtures.logger)
        for index in 0..<5 { _ = try await writer.append(LedgerFixtures.event("after\(index)")) }
        await writer.close()
        let files = try dir.files()
        #expect(files.contains("ledger-1-2.jsonl"), "\(files)")
        let report = try LedgerVerifier(dataDir: dir.path).verify()
        #expect(report.isClean, "\(report.problems)")
        #expect(report.lines == 6)
    }

    @Test("appends after close are refused, not lost silently") func closed() async throws {
        let dir = TemporaryDataDir()
        let writer = try LedgerWriter(dataDir: dir.path, logger: LedgerFixtures.logger)
        await writer.close()
        await #expect(throws: LedgerWriteError.closed) { _ = try await writer.append(LedgerFixtures.event("late")) }
    }
}

@Suite("Ledger verify")
struct LedgerVerifierTests {
    @Test("a corrupt line in the middle is reported with its file and line number") func corruptMiddle() async throws {
        let dir = TemporaryDataDir()
        let writer = try LedgerWriter(dataDir: dir.path, logger: LedgerFixtures.logger)
        for index in 0..<3 { _ = try await writer.append(LedgerFixtures.event("v\(index)")) }
        await writer.close()
        var lines = try dir.ledgerLines()
        lines[1] = "{\"seq\":2, garbage"
        try (lines.joined(separator: "\n") + "\n").write(toFile: dir.ledgerPath, atomically: false, encoding: .utf8)
        let report = try LedgerVerifier(dataDir: dir.path).verify()
        #expect(report.problems.map(\.description) == ["ledger.jsonl:2: not a JSON object"])
    }

    @Test("a seq that goes back is reported") func seqOrder() async throws {
        let dir = TemporaryDataDir()
        let writer = try LedgerWriter(dataDir: dir.path, logger: LedgerFixtures.logger)
        for index in 0..<3 { _ = try await writer.append(LedgerFixtures.event("o\(index)")) }
        await writer.close()
        let lines = try dir.ledgerLines()
        try ([lines[0], lines[2], lines[1]].joined(separator: "\n") + "\n").write(
            toFile: dir.ledgerPath, atomically: false, encoding: .utf8)
        let report = try LedgerVerifier(dataDir: dir.path).verify()
        #expect(report.problems.map(\.description) == ["ledger.jsonl:3: seq 2 does not follow 3"])
    }
}

@Suite("Torn tail repair")
struct TornTailRepairTests {
    @Test("two repairs within one second keep both broken copies") func repairsDoNotOverwrite() async throws {
        let dir = TemporaryDataDir()
        let fixedNow: @Sendable () -> Int64 = { 1_795_521_821_000 }
        try FileManager.default.createDirectory(atPath: dir.path, withIntermediateDirectories: true)
        for fragment in [#"{"seq":1,"at":"x"#, #"{"seq":1,"at":"y"#] {
            try fragment.write(toFile: dir.ledgerPath, atomically: false, encoding: .utf8)
            let writer = try LedgerWriter(dataDir: dir.path, logger: LedgerFixtures.logger, now: fixedNow)
            await writer.close()
        }
        let broken = try dir.files().filter { $0.hasPrefix("ledger.jsonl.broken-") }
        #expect(broken == ["ledger.jsonl.broken-20261124T120341Z", "ledger.jsonl.broken-20261124T120341Z-1"])
        let contents = try broken.map { try String(contentsOfFile: dir.path + "/" + $0, encoding: .utf8) }
        #expect(contents == [#"{"seq":1,"at":"x"#, #"{"seq":1,"at":"y"#])
    }
}
