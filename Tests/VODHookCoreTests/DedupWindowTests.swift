import Testing
import VODHookCore

/// Dedup keys and final jobs are remembered for a window after their line, a pending job's keys
/// until it ends; forgetting is at once for lookups and a few shards at a time in memory.
@Suite("Dedup window")
struct DedupWindowTests {
    static let window: Int64 = 86_400_000
    static func key(_ text: String) -> EventIdentity { EventIdentity(key: DedupKey(text: text).digest, body: nil) }
    static let job = CompactID("b848292fe928dccbff92402b56903ffb")

    @Test("a key is a duplicate until its line is older than the window, then new (and swept)") func window() {
        var recorded = RecordedEvents()
        recorded.insert(Self.key("a"), seq: 1, at: 1_000)
        recorded.forget(before: 1_000 + Self.window - 1 - Self.window, shards: nil)
        #expect(recorded.match(Self.key("a")) == .same(seq: 1))
        recorded.forget(before: 1_001, shards: 0)
        #expect(recorded.match(Self.key("a")) == .new, "forgotten for lookups before any sweep")
        #expect(recorded.count == 1)
        recorded.forget(before: 1_001, shards: nil)
        #expect(recorded.count == 0)
        recorded.insert(Self.key("a"), seq: 9, at: 2_000)
        #expect(recorded.match(Self.key("a")) == .same(seq: 9))
    }

    @Test("a pending job's keys stay whatever the time; once it ends they count the window from its final line")
    func pinned() {
        var recorded = RecordedEvents()
        recorded.insert(Self.key("processing"), seq: 2, at: 1_000, job: .init(job: Self.job, pending: true))
        recorded.forget(before: 100 * Self.window, shards: nil)
        #expect(recorded.match(Self.key("processing")) == .same(seq: 2))
        #expect(recorded.count == 1)
        let end = 200 * Self.window
        recorded.insert(Self.key("success"), seq: 3, at: end, job: .init(job: Self.job, pending: false))
        recorded.forget(before: end, shards: nil)
        #expect(recorded.match(Self.key("processing")) == .same(seq: 2))
        recorded.forget(before: end + 1, shards: nil)
        #expect(recorded.match(Self.key("processing")) == .new)
        #expect(recorded.count == 0)
    }

    @Test("another body under a key is forgotten with the key's first line") func otherBodies() {
        let first = EventIdentity(key: DedupKey(text: "k").digest, body: DedupKey(text: "one").digest)
        let second = EventIdentity(key: DedupKey(text: "k").digest, body: DedupKey(text: "two").digest)
        var recorded = RecordedEvents()
        recorded.insert(first, seq: 1, at: 1_000)
        recorded.insert(second, seq: 2, at: 5_000)
        #expect(recorded.match(second) == .same(seq: 2))
        recorded.forget(before: 2_000, shards: nil)
        #expect(recorded.match(second) == .new)
        #expect(recorded == RecordedEvents())
    }

    @Test("a sweep step visits a few shards; the rounds together free every forgotten key") func incremental() {
        var recorded = RecordedEvents()
        for number in 0..<20_000 { recorded.insert(Self.key("e\(number)"), seq: UInt64(number + 1), at: 1_000) }
        recorded.insert(Self.key("late"), seq: 50_000, at: 10_000)
        recorded.forget(before: 5_000, shards: 8)
        #expect(recorded.count > 19_000, "one step sweeps 8 of 1,024 shards, not the table")
        #expect(recorded.count < 20_001)
        for _ in 0..<127 { recorded.forget(before: 5_000, shards: 8) }
        #expect(recorded.count == 1)
        #expect(recorded.match(Self.key("late")) == .same(seq: 50_000))
    }

    @Test("the index keeps pending jobs for ever and final ones for the window after their last line")
    func index() {
        var index = CorrelationIndex()
        index.absorb(Lines.submitted(1, job: "pending", media: "m1", at: 1_000))
        index.absorb(Lines.submitted(2, job: "done", media: "m2", at: 1_000))
        index.absorb(Lines.event(3, job: "done", media: "m2", status: "success", at: 2_000))
        index.absorb(Lines.submitted(4, job: "failed", media: "m3", at: 1_000))
        index.absorb(Lines.event(5, job: "failed", media: "m3", status: "fail", at: 9_000))
        #expect(index.pendingCount == 1)
        #expect(index.link(jobId: "pending") == RecordedEvents.JobLink(job: CompactID("pending"), pending: true))
        #expect(index.link(jobId: "done")?.pending == false)
        index.forget(before: 2_000, shards: 0)
        #expect(index["done"]?.state == .success)
        index.forget(before: 3_000, shards: 0)
        #expect(index["done"] == nil, "gone for lookups at once")
        #expect(index.submission(forEventType: "AIVideoTagComplete", jobId: "done", mediaId: "m2") == nil)
        #expect(index["failed"]?.state == .fail)
        index.forget(before: 100 * Self.window, shards: nil)
        #expect(index.count == 1)
        #expect(index["pending"]?.submissionSeq == 1)
        #expect(index.pendingCount == 1)
        // An event for a job that has left: it comes back as the index now sees it.
        index.absorb(Lines.event(6, job: "done", media: "m2", status: "success", at: 100 * Self.window + 5))
        #expect(index["done"]?.submissionSeq == nil)
        #expect(index.pendingCount == 1)
    }

    @Test("a checkpoint carries the times and the pins") func checkpoint() throws {
        var recorded = RecordedEvents()
        recorded.insert(Self.key("a"), seq: 1, at: 1_000)
        recorded.insert(Self.key("p"), seq: 2, at: 1_500, job: .init(job: Self.job, pending: true))
        var index = CorrelationIndex()
        index.absorb(Lines.submitted(1, job: "j", media: "m", at: 1_234_567))
        let checkpoint = Checkpoint(lastSeq: 2, resume: nil, recorded: recorded, index: index)
        var decoded = try Checkpoint(decoding: checkpoint.encoded())
        #expect(decoded == checkpoint)
        #expect(decoded.index["j"]?.at == 1_235_000)
        decoded.recorded.forget(before: 1_001, shards: nil)
        #expect(decoded.recorded.match(Self.key("a")) == .new)
        #expect(decoded.recorded.match(Self.key("p")) == .same(seq: 2))
    }
}
