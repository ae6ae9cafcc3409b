import Foundation
import Testing

@testable import VODHookCore

@Suite("Checkpoint codec")
struct CheckpointCodecTests {
    @Test("a checkpoint's sections round-trip, an unknown section is kept, and a corrupt file is refused")
    func codec() throws {
        var recorded = RecordedEvents()
        recorded.insert(EventIdentity(key: DedupKey(text: "a").digest, body: DedupKey(text: "body").digest), seq: 3, at: 0)
        recorded.insert(EventIdentity(key: DedupKey(text: "a").digest, body: DedupKey(text: "other").digest), seq: 4, at: 0)
        recorded.insert(EventIdentity(key: DedupKey(text: "b").digest, body: nil), seq: 5, at: 0)
        var index = CorrelationIndex()
        index.absorb(Lines.submitted(1, job: "job-1", media: "m"))
        index.absorb(Lines.submitted(2, job: nil, media: "m2", outcome: .unknown))
        index.absorb(Lines.event(6, job: "job-1", media: "m", status: "fail"))
        var resubmits = ResubmitBook()
        resubmits.absorb(.submitted(SubmissionRecord(outcome: .sending, mediaId: "m", aiType: "AIVideoTag", resubmitOf: "job-1")))
        resubmits.absorb(.submitted(SubmissionRecord(outcome: .refused, mediaId: "m", aiType: "AIVideoTag", resubmitOf: "job-2")))
        let checkpoint = Checkpoint(
            lastSeq: 6, resume: .init(fileFirstSeq: 1, offset: 1234), recorded: recorded, index: index, resubmits: resubmits,
            otherSections: [Checkpoint.Tag.dispatch: .init(version: 7, payload: [1, 2, 3])])
        let decoded = try Checkpoint(decoding: checkpoint.encoded())
        #expect(decoded == checkpoint)
        #expect(decoded.resubmits.done(for: "job-1") == .resubmitted(.sending))
        #expect(decoded.resubmits.done(for: "job-2") == nil)
        #expect(decoded.index.submission(forEventType: "AIVideoTagComplete", jobId: "job-9", mediaId: "m2") == 2)
        #expect(throws: CheckpointError.self) { try Checkpoint(decoding: Array(checkpoint.encoded().dropLast())) }
        #expect(throws: CheckpointError.self) { try Checkpoint(decoding: Array("not a checkpoint".utf8)) }
        #expect(
            decoded.recorded.match(EventIdentity(key: DedupKey(text: "a").digest, body: DedupKey(text: "other").digest))
                == .same(seq: 4))
    }

    @Test("the open jobs round-trip in binary; a checkpoint whose open jobs are JSON (version 1) is of another version")
    func openJobsSection() throws {
        var open = OpenJobs()
        var index = CorrelationIndex()
        for entry in [
            Lines.submitted(1, job: nil, media: "m1", outcome: .sending),
            Lines.submitted(2, job: "job-2", media: "m2"),
            Lines.event(3, job: "job-2", media: "m2", status: "running"),
            Lines.submitted(4, job: String(format: "%032x", 4), media: String(format: "%032x", 40)),
            Lines.submitted(5, job: "job-5", media: "m5"),
            Lines.event(6, job: "job-5", media: "m5", status: "success"),
        ] {
            open.absorb(entry, index: index)
            index.absorb(entry)
        }
        let checkpoint = Checkpoint(lastSeq: 6, resume: nil, recorded: RecordedEvents(), index: index, open: open)
        let decoded = try Checkpoint(decoding: checkpoint.encoded())
        #expect(decoded.open == open)
        #expect(decoded.open.all == open.all && open.count == 3)

        var sections = checkpoint.sections()
        let at = try #require(sections.firstIndex { $0.0 == Checkpoint.Tag.open })
        sections[at].1 = Checkpoint.Section(version: 1, payload: Array("{}".utf8))
        #expect(throws: CheckpointError.unsupported("section 5 version 1")) {
            try Checkpoint(decoding: Checkpoint.sealed(sections))
        }
    }

    @Test("a checkpoint without the resubmit book is not used: its start could submit a failed job twice")
    func withoutResubmits() throws {
        let checkpoint = Checkpoint(lastSeq: 1, resume: nil, recorded: RecordedEvents(), index: CorrelationIndex())
        #expect(try Checkpoint(decoding: checkpoint.encoded()) == checkpoint)
        // As a build before section 6 wrote it.
        let bytes = Checkpoint.sealed(checkpoint.sections().filter { $0.0 != Checkpoint.Tag.resubmits })
        #expect(throws: CheckpointError.unsupported("no resubmits section")) { try Checkpoint(decoding: bytes) }
    }
}

@Suite("Checkpoint streaming and schedule")
struct CheckpointStreamTests {
    @Test("a big checkpoint reaches its sink in pieces of about a MiB, never whole, and they decode to it")
    func pieces() throws {
        var recorded = RecordedEvents()
        var index = CorrelationIndex()
        for number in 0..<25_000 {
            recorded.insert(EventIdentity(key: DedupKey(text: "k\(number)").digest, body: nil), seq: UInt64(number + 1), at: 0)
            index.absorb(Lines.event(UInt64(number + 1), job: "job-\(number)", media: "m", status: "success"))
        }
        let checkpoint = Checkpoint(lastSeq: 25_000, resume: nil, recorded: recorded, index: index)
        var pieces: [[UInt8]] = []
        checkpoint.encode { pieces.append($0) }
        let whole = pieces.flatMap(\.self)
        #expect(whole.count > 2 << 20)
        #expect(pieces.count >= 3)
        #expect(pieces.allSatisfy { $0.count <= (1 << 20) + 64 })
        #expect(try Checkpoint(decoding: whole) == checkpoint)
    }

    @Test("checkpoints come further apart as the state grows: no more than 2 entries encoded per line written")
    func schedule() {
        let lines = CheckpointSchedule.everyLines
        #expect(!CheckpointSchedule.isDue(lines: lines - 1, elapsed: 0, entries: 10))
        #expect(CheckpointSchedule.isDue(lines: lines, elapsed: 0, entries: 10))
        #expect(
            !CheckpointSchedule.isDue(lines: lines, elapsed: 0, entries: 1_000_000), "a million entries: not every 100 k lines")
        #expect(CheckpointSchedule.isDue(lines: 500_000, elapsed: 0, entries: 1_000_000))
        #expect(CheckpointSchedule.isDue(lines: 1, elapsed: CheckpointSchedule.everyNanoseconds, entries: 1_000_000))
        #expect(!CheckpointSchedule.isDue(lines: 0, elapsed: CheckpointSchedule.everyNanoseconds, entries: 0))
    }
}
