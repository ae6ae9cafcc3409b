import Testing
import VODHookCore

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
        let checkpoint = Checkpoint(
            lastSeq: 6, resume: .init(fileFirstSeq: 1, offset: 1234), recorded: recorded, index: index,
            otherSections: [Checkpoint.Tag.dispatch: .init(version: 7, payload: [1, 2, 3])])
        let decoded = try Checkpoint(decoding: checkpoint.encoded())
        #expect(decoded == checkpoint)
        #expect(decoded.index.submission(forEventType: "AIVideoTagComplete", jobId: "job-9", mediaId: "m2") == 2)
        #expect(throws: CheckpointError.self) { try Checkpoint(decoding: Array(checkpoint.encoded().dropLast())) }
        #expect(throws: CheckpointError.self) { try Checkpoint(decoding: Array("not a checkpoint".utf8)) }
        #expect(
            decoded.recorded.match(EventIdentity(key: DedupKey(text: "a").digest, body: DedupKey(text: "other").digest))
                == .same(seq: 4))
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
