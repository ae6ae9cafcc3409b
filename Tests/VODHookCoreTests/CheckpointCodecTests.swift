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
