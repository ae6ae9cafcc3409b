import Foundation
import Synchronization
import Testing
import VODHook
import VODHookCore

/// A wall clock the test moves (Unix ms).
final class TestClock: Sendable {
    private let value: Atomic<Int64>
    init(_ start: Int64) { value = Atomic(start) }
    var now: @Sendable () -> Int64 { { [self] in value.load(ordering: .relaxed) } }
    func advance(hours: Int64) { value.add(hours * 3_600_000, ordering: .relaxed) }
}

/// The writer remembers an event for `dedup_window` after its line (24 h here), a pending job's
/// events until it ends, and a start from the files applies the same rule.
@Suite("Ledger writer's dedup window")
struct LedgerWriterWindowTests {
    static let start: Int64 = 1_800_000_000_000

    static func writer(_ dir: borrowing TemporaryDataDir, _ clock: TestClock, checkpoints: Bool = false) throws -> LedgerWriter {
        try LedgerWriter(
            locked: LedgerWriter.lock(dataDir: dir.path), dataDir: dir.path, logger: LedgerFixtures.logger, now: clock.now,
            checkpoints: checkpoints)
    }

    @Test("a retry within the window is a duplicate; after it, a new line; a start from the files agrees")
    func retryAcrossWindow() async throws {
        let dir = TemporaryDataDir()
        let clock = TestClock(Self.start)
        let writer = try Self.writer(dir, clock)
        #expect(try await writer.append(LedgerFixtures.event("a")) == .recorded(seq: 1))
        clock.advance(hours: 23)
        #expect(try await writer.append(LedgerFixtures.event("a")) == .duplicate(seq: 1))
        clock.advance(hours: 2)
        #expect(try await writer.append(LedgerFixtures.event("a")) == .recorded(seq: 2))
        #expect(try await writer.append(LedgerFixtures.event("a")) == .duplicate(seq: 2))
        await writer.close()

        clock.advance(hours: 23)
        let reopened = try Self.writer(dir, clock)
        #expect(try await reopened.append(LedgerFixtures.event("a")) == .duplicate(seq: 2))
        clock.advance(hours: 2)
        #expect(try await reopened.append(LedgerFixtures.event("a")) == .recorded(seq: 3))
        await reopened.close()
    }

    @Test("a pending job's events stay duplicates however old; once it ends they get the window from its final line")
    func pendingNeverForgotten() async throws {
        let dir = TemporaryDataDir()
        let clock = TestClock(Self.start)
        let writer = try Self.writer(dir, clock)
        _ = try await writer.append(CheckpointTests.submitted("p"))
        _ = try await writer.append(CheckpointTests.submitted("done"))
        #expect(try await writer.append(LedgerFixtures.event("p", status: "processing")) == .recorded(seq: 3))
        #expect(try await writer.append(LedgerFixtures.event("done")) == .recorded(seq: 4))
        clock.advance(hours: 24 * 10)
        #expect(try await writer.append(LedgerFixtures.event("p", status: "processing")) == .duplicate(seq: 3))
        await writer.close()

        let reopened = try Self.writer(dir, clock)
        #expect(try await reopened.append(LedgerFixtures.event("p", status: "processing")) == .duplicate(seq: 3))
        #expect(try await reopened.append(LedgerFixtures.event("done")) == .recorded(seq: 5), "forgotten after 10 days")
        #expect(try await reopened.append(LedgerFixtures.event("p")) == .recorded(seq: 6))
        clock.advance(hours: 23)
        #expect(try await reopened.append(LedgerFixtures.event("p", status: "processing")) == .duplicate(seq: 3))
        clock.advance(hours: 2)
        #expect(try await reopened.append(LedgerFixtures.event("p", status: "processing")) == .recorded(seq: 7))
        await reopened.close()

        // Read back at the same time: the pending job is kept, the ended ones have left memory.
        var state = try LedgerState.scan(LedgerReader(dataDir: dir.path))
        state.forget(now: clock.now())
        #expect(state.index["p"]?.state == .pending)
        #expect(state.index["done"] == nil)
        #expect(state.index.pendingCount == 1)
    }
}
