import Foundation
import Testing
import VODHook
import VODHookCore

/// Checkpoints of the writer's derived state: a start from one must know what a start from every
/// line knows, and a damaged or half-written one must be passed over.
@Suite("Ledger checkpoints")
struct CheckpointTests {
    static func writer(_ dir: borrowing TemporaryDataDir, rotateSize: Int64, checkpoints: Bool) throws -> LedgerWriter {
        try LedgerWriter(
            locked: LedgerWriter.lock(dataDir: dir.path), dataDir: dir.path, rotateSize: rotateSize,
            logger: LedgerFixtures.logger, checkpoints: checkpoints)
    }

    static func submitted(_ job: String) -> LedgerRecord {
        .submitted(SubmissionRecord(outcome: .accepted, mediaId: "m-\(job)", aiType: "AIVideoTag", jobId: job))
    }

    /// Submissions, their events, a second body under a recorded key, events without a JobId.
    static func history(_ writer: LedgerWriter, jobs: Range<Int>) async throws {
        for number in jobs {
            _ = try await writer.append(Self.submitted("job-\(number)"))
            if number % 2 == 0 { _ = try await writer.append(LedgerFixtures.event("job-\(number)")) }
            if number % 5 == 0 {
                let body = Array(#"{"EventType":"AIVideoTagComplete","JobId":"job-\#(number)","Status":"success","X":1}"#.utf8)
                _ = try await writer.append(.event(EventRecord(envelope: try EventParser.envelope(of: body), body: body)))
            }
            if number % 7 == 0 {
                let body = Array(#"{"EventType":"FileUploadComplete","VideoId":"v-\#(number)","Status":"success"}"#.utf8)
                _ = try await writer.append(.event(EventRecord(envelope: try EventParser.envelope(of: body), body: body)))
            }
        }
    }

    static func expectSameState(_ left: LedgerState, _ right: LedgerState, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(left.lastSeq == right.lastSeq, sourceLocation: sourceLocation)
        #expect(left.liveFirstSeq == right.liveFirstSeq, sourceLocation: sourceLocation)
        #expect(left.recorded == right.recorded, sourceLocation: sourceLocation)
        #expect(left.index == right.index, sourceLocation: sourceLocation)
        #expect(left.open == right.open, sourceLocation: sourceLocation)
        #expect(left.resubmits == right.resubmits, sourceLocation: sourceLocation)
    }

    static func checkpointNames(_ dir: borrowing TemporaryDataDir) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path + "/checkpoints")) ?? []).filter { $0.hasSuffix(".bin") }
            .sorted()
    }

    @Test(
        "start from a checkpoint reads only the later lines and knows what reading every line knows",
        arguments: [Int64(700), 1 << 30])
    func sameAsFiles(laterRotateSize: Int64) async throws {
        let dir = TemporaryDataDir()
        let first = try Self.writer(dir, rotateSize: 2_000, checkpoints: true)
        try await Self.history(first, jobs: 0..<40)
        await first.close()  // a clean shutdown writes a checkpoint of every line
        let found = try #require(CheckpointStore.newest(dataDir: dir.path).checkpoint)
        let covered = found.value.lastSeq
        // Later lines, from a writer that keeps no checkpoints: the checkpoint stays behind them,
        // and (with the small size) the file it resumes in is rotated away under it.
        let later = try Self.writer(dir, rotateSize: laterRotateSize, checkpoints: false)
        try await Self.history(later, jobs: 40..<50)
        _ = try await later.append(LedgerFixtures.event("job-3"))  // submitted before the checkpoint
        await later.close()

        let reader = LedgerReader(dataDir: dir.path)
        let full = try LedgerState.scan(reader)
        let resumed = try LedgerState.scan(after: found.value, reader)
        Self.expectSameState(resumed, full)
        #expect(resumed.lineCount == Int(full.lastSeq - covered))
        #expect(resumed.lineCount < full.lineCount / 3)
        #expect(resumed.index["job-3"]?.state == .success)
        // Jobs submitted before the checkpoint and still pending are listed from it.
        #expect(resumed.open.all.contains { $0.jobId == "job-1" } && !resumed.open.all.contains { $0.jobId == "job-3" })
    }

    @Test("with the window forgetting keys and jobs, a start from a checkpoint equals a start from every line")
    func sameAsFilesWithWindow() async throws {
        let dir = TemporaryDataDir()
        let clock = TestClock(LedgerWriterWindowTests.start)
        let first = try LedgerWriterWindowTests.writer(dir, clock, checkpoints: true)
        for step in 0..<12 {
            try await Self.history(first, jobs: (step * 5)..<(step * 5 + 5))
            _ = try await first.append(LedgerFixtures.event("job-\(step * 5 + 1)", status: "processing"))  // pending, pinned
            clock.advance(hours: 5)
        }
        await first.close()
        let found = try #require(CheckpointStore.newest(dataDir: dir.path).checkpoint)
        let later = try Self.writer(dir, rotateSize: 1 << 30, checkpoints: false)
        try await Self.history(later, jobs: 60..<70)
        await later.close()

        for hours: Int64 in [0, 30, 24 * 30] {
            clock.advance(hours: hours)
            let reader = LedgerReader(dataDir: dir.path)
            var full = try LedgerState.scan(reader)
            var resumed = try LedgerState.scan(after: found.value, reader)
            full.forget(now: clock.now())
            resumed.forget(now: clock.now())
            Self.expectSameState(resumed, full)
            #expect(full.index.pendingCount == resumed.index.pendingCount)
            #expect(full.index["job-1"]?.state == .pending, "pinned by its pending event")
        }
        var all = try LedgerState.scan(LedgerReader(dataDir: dir.path))
        #expect(all.recorded.count > 40)
        all.forget(now: clock.now())
        #expect(all.recorded.count == 12, "only the pending jobs' keys are left a month later")
    }

    @Test("one flipped byte anywhere in a checkpoint is detected; start-up passes it over")
    func flippedByte() async throws {
        let dir = TemporaryDataDir()
        let writer = try Self.writer(dir, rotateSize: 1 << 30, checkpoints: true)
        try await Self.history(writer, jobs: 0..<20)
        await writer.close()
        let name = try #require(Self.checkpointNames(dir).last)
        let path = dir.path + "/checkpoints/" + name
        let good = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(try Checkpoint(decoding: good).lastSeq > 0)
        for position in [0, 25, good.count / 2, good.count - 40, good.count - 1] {
            var bad = good
            bad[position] ^= 0x01
            #expect(throws: CheckpointError.self) { try Checkpoint(decoding: bad) }
            try Data(bad).write(to: URL(fileURLWithPath: path))
            let newest = CheckpointStore.newest(dataDir: dir.path)
            #expect(newest.checkpoint?.name != name)
            #expect(newest.rejected.map(\.name) == [name])
        }
    }

    @Test("killed while a checkpoint was written (any offset): the previous one or the files give the same state")
    func tornWrite() async throws {
        let dir = TemporaryDataDir()
        let first = try Self.writer(dir, rotateSize: 1 << 30, checkpoints: true)
        try await Self.history(first, jobs: 0..<20)
        await first.close()
        let previous = try #require(Self.checkpointNames(dir).last)
        let second = try Self.writer(dir, rotateSize: 1 << 30, checkpoints: true)
        try await Self.history(second, jobs: 20..<30)
        await second.close()
        let newest = try #require(Self.checkpointNames(dir).last)
        #expect(newest != previous)
        let newestPath = dir.path + "/checkpoints/" + newest
        let whole = try Array(Data(contentsOf: URL(fileURLWithPath: newestPath)))
        let full = try LedgerState.scan(LedgerReader(dataDir: dir.path))
        // What a kill -9 can leave, given temp file + fsync + rename + directory fsync: the new
        // checkpoint's temporary file cut anywhere (never read), or (a disk that lost the tail
        // of a renamed file) the new checkpoint itself cut anywhere.
        for cut in [0, 1, 19, 64, whole.count / 2, whole.count - 33, whole.count - 1] {
            try FileManager.default.removeItem(atPath: newestPath)
            let temporary = dir.path + "/checkpoints/." + newest + ".tmp"
            try Data(whole[..<cut]).write(to: URL(fileURLWithPath: temporary))
            var found = try #require(CheckpointStore.newest(dataDir: dir.path).checkpoint)
            #expect(found.name == previous)
            Self.expectSameState(try LedgerState.scan(after: found.value, LedgerReader(dataDir: dir.path)), full)
            try FileManager.default.removeItem(atPath: temporary)

            try Data(whole[..<cut]).write(to: URL(fileURLWithPath: newestPath))
            found = try #require(CheckpointStore.newest(dataDir: dir.path).checkpoint)
            #expect(found.name == previous, "cut at \(cut)")
            Self.expectSameState(try LedgerState.scan(after: found.value, LedgerReader(dataDir: dir.path)), full)
        }
        try FileManager.default.removeItem(atPath: dir.path + "/checkpoints")
        #expect(CheckpointStore.newest(dataDir: dir.path).checkpoint == nil)
    }
}
