import Foundation
import Testing

@testable import VODHook
@testable import VODHookCore

/// The writer's open jobs: read without sharing its storage, and kept across a checkpoint only
/// in the current section version.
@Suite("Ledger writer open jobs")
struct LedgerWriterOpenJobsTests {
    @Test("listing the open jobs leaves the writer's storage unshared: its next batch copies no row")
    func readsShareNothing() async throws {
        let dir = TemporaryDataDir()
        let writer = try CheckpointTests.writer(dir, rotateSize: 1 << 30, checkpoints: false)
        try await CheckpointTests.history(writer, jobs: 0..<30)
        let all = writer.openJobs
        let pending = writer.openJobs(state: .pending)
        #expect(writer.openJobsStorageIsUnshared)
        #expect(!all.isEmpty && pending.count == all.filter { $0.state == .pending }.count)
        _ = try await writer.append(CheckpointTests.submitted("job-after"))
        #expect(writer.openJobsStorageIsUnshared)
        #expect(writer.openJobs.count == all.count + 1)
        await writer.close()
    }

    @Test("a checkpoint whose open jobs are JSON (section 5 version 1) is passed over: start-up reads the files")
    func oldOpenJobsSection() async throws {
        let dir = TemporaryDataDir()
        let first = try CheckpointTests.writer(dir, rotateSize: 1 << 30, checkpoints: true)
        try await CheckpointTests.history(first, jobs: 0..<20)
        await first.close()
        let names = CheckpointTests.checkpointNames(dir)
        #expect(!names.isEmpty)
        for name in names {
            let url = URL(fileURLWithPath: dir.path + "/checkpoints/" + name)
            var sections = try Checkpoint(decoding: Array(Data(contentsOf: url))).sections()
            let at = try #require(sections.firstIndex { $0.0 == Checkpoint.Tag.open })
            sections[at].1 = Checkpoint.Section(version: 1, payload: Array(#"{"rows":{}}"#.utf8))
            try Data(Checkpoint.sealed(sections)).write(to: url)
        }
        let newest = CheckpointStore.newest(dataDir: dir.path)
        #expect(newest.checkpoint == nil)
        #expect(newest.rejected.allSatisfy { $0.problem.contains("another version") } && newest.rejected.count == names.count)
        let full = try LedgerState.scan(LedgerReader(dataDir: dir.path))
        let again = try CheckpointTests.writer(dir, rotateSize: 1 << 30, checkpoints: true)
        #expect(again.openJobs == full.open.all && !full.open.all.isEmpty)
        await again.close()
    }
}
