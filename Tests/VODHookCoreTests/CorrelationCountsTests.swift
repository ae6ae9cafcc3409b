import Testing
import VODHookCore

/// The counts the index keeps for `/metrics` and `vodhook status` agree with the job book's rows
/// (what `vodhook jobs` lists) after every line.
@Suite("Correlation index counts")
struct CorrelationCountsTests {
    @Test("pending and unknown follow submissions, events, a late event of an unknown one, a repeated final event")
    func countsMatchJobBook() {
        let lines = [
            Lines.submitted(1, job: "a1", media: "m1"),
            Lines.submitted(2, job: "b2", media: "m2"),
            Lines.submitted(3, job: nil, media: "m3", outcome: .unknown),
            Lines.submitted(4, job: nil, media: "m4", outcome: .refused),
            Lines.event(5, job: "a1", media: "m1", submissionSeq: 1),
            Lines.event(6, job: "a1", media: "m1", status: "fail", submissionSeq: 1),
            // The unknown submission's job, made known by its callback.
            Lines.event(7, job: "c3", media: "m3", submissionSeq: 3),
            Lines.event(8, job: "unsolicited", media: "m9"),
            Lines.submitted(9, job: "d4", media: "m4", outcome: .accepted),
        ]
        let expected: [(pending: Int, unknown: Int)] = [(1, 0), (2, 0), (2, 1), (2, 1), (1, 1), (1, 1), (1, 0), (1, 0), (2, 0)]
        var index = CorrelationIndex()
        var book = JobBook()
        for (line, want) in zip(lines, expected) {
            index.absorb(line)
            book.absorb(line)
            #expect(index.pendingCount == want.pending, "after seq \(line.seq)")
            #expect(index.unansweredCount == want.unknown, "after seq \(line.seq)")
            #expect(book.rows(state: .pending).count == index.pendingCount, "after seq \(line.seq)")
            #expect(book.rows(state: .unknown).count == index.unansweredCount, "after seq \(line.seq)")
        }
    }
}
