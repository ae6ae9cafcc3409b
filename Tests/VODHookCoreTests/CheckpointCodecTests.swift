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
}
