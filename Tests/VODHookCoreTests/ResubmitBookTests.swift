import Foundation
import Testing
import VODHookCore

@Suite("resubmit: given_up lines, the chain's state, the handler's decision")
struct ResubmitBookTests {
    static let givenUp = GivenUpRecord(
        handler: "retry", eventSeq: 40, jobId: "job-3", mediaId: "m-1", aiType: "AIVideoTag",
        chain: "job-1", attempts: 3)

    @Test("a given_up line has its fields in order; both readers read it back as the writer's entry")
    func givenUpLine() throws {
        let line = LedgerLine.encode(seq: 41, at: 1_795_521_821_025, record: .givenUp(Self.givenUp))
        #expect(
            String(decoding: line, as: UTF8.self)
                == #"{"seq":41,"at":"2026-11-24T12:03:41.025Z","kind":"given_up","handler":"retry","event_seq":40,"job_id":"job-3","media_id":"m-1","type":"AIVideoTag","chain":"job-1","attempts":3}"#
                + "\n")
        let expected = LedgerEntry(seq: 41, at: 1_795_521_821_025, record: .givenUp(Self.givenUp))
        #expect(try LedgerLine.read(line.dropLast()) == expected)
        #expect(try LedgerLine.decode(line.dropLast()) == expected)
    }

    static func submitted(
        _ seq: UInt64, job: String?, outcome: SubmissionRecord.Outcome, chain: String? = nil,
        attempt: Int = 1, of: String? = nil
    ) -> LedgerEntry {
        LedgerEntry(
            seq: seq, at: 0,
            record: .submitted(
                SubmissionRecord(
                    outcome: outcome, mediaId: "m-1", aiType: "AIVideoTag", jobId: job, chain: chain, attempt: attempt,
                    resubmitOf: of)))
    }

    static func event(_ seq: UInt64, job: String, status: String, submissionSeq: UInt64?) -> LedgerEntry {
        var entry = LedgerEntry(
            seq: seq, at: 0, kind: .event, eventType: "AIVideoTagComplete", jobId: job, mediaId: "m-1", status: status)
        entry.submissionSeq = submissionSeq
        return entry
    }

    @Test("jobs shows the last job of a given-up chain as given_up, the others as their events say")
    func jobBook() {
        var book = JobBook()
        for entry in [
            Self.submitted(1, job: "job-1", outcome: .accepted),
            Self.event(2, job: "job-1", status: "fail", submissionSeq: 1),
            Self.submitted(3, job: "job-3", outcome: .accepted, chain: "job-1", attempt: 2, of: "job-1"),
            Self.event(4, job: "job-3", status: "fail", submissionSeq: 3),
            LedgerEntry(seq: 5, at: 0, record: .givenUp(Self.givenUp)),
        ] { book.absorb(entry) }
        #expect(book.row(jobId: "job-1")?.state == .fail)
        #expect(book.row(jobId: "job-3")?.state == .givenUp && book.row(jobId: "job-3")?.chain == "job-1")
        #expect(JobState(rawValue: "given_up") == .givenUp && JobState.givenUp.isFinal)
    }

    @Test("a re-submission counts once its sending line is there, unless VOD refused it; a given_up line counts")
    func done() {
        var book = ResubmitBook()
        #expect(book.done(for: "job-1") == nil)
        book.absorb(Self.submitted(5, job: nil, outcome: .sending, chain: "job-1", attempt: 2, of: "job-1"))
        #expect(book.done(for: "job-1") == .resubmitted(.sending))
        book.absorb(Self.submitted(6, job: nil, outcome: .refused, chain: "job-1", attempt: 2, of: "job-1"))
        #expect(book.done(for: "job-1") == nil)
        book.absorb(.submitted(SubmissionRecord(outcome: .unknown, mediaId: "m-1", aiType: "AIVideoTag", resubmitOf: "job-1")))
        #expect(book.done(for: "job-1") == .resubmitted(.unknown))
        book.absorb(LedgerEntry(seq: 9, at: 0, record: .givenUp(Self.givenUp)))
        #expect(book.done(for: "job-3") == .givenUp)
    }

    @Test("the step: resubmit the failed job's own media, type, config and user data, next in its chain; give up at the limit")
    func step() {
        let first = SubmissionRecord(
            outcome: .accepted, mediaId: "m-1", aiType: "AIVideoTag", jobId: "job-1",
            aiConfig: #"{"AIVideoTag":{}}"#, userData: #"{"Extend":{"a":1}}"#)
        let fail = Self.event(2, job: "job-1", status: "fail", submissionSeq: 1)
        guard
            case .resubmit(let item) = ResubmitBook.step(
                for: fail, submission: first, done: nil, maxAttempts: 3, handler: "retry")
        else {
            Issue.record("expected a resubmission")
            return
        }
        #expect(
            item.mediaId == "m-1" && item.types == ["AIVideoTag"] && item.aiConfig == first.aiConfig
                && item.userData == first.userData)
        #expect(item.resubmission == Resubmission(chain: "job-1", attempt: 2, of: "job-1"))
        #expect(item.intents.allSatisfy { $0.chain == "job-1" && $0.attempt == 2 && $0.resubmitOf == "job-1" })

        var third = first
        third.jobId = "job-3"
        third.chain = "job-1"
        third.attempt = 3
        #expect(
            ResubmitBook.step(
                for: Self.event(8, job: "job-3", status: "fail", submissionSeq: 7), submission: third, done: nil,
                maxAttempts: 3, handler: "retry")
                == .giveUp(
                    GivenUpRecord(
                        handler: "retry", eventSeq: 8, jobId: "job-3", mediaId: "m-1", aiType: "AIVideoTag",
                        chain: "job-1", attempts: 3)))

        let ignored: [ResubmitBook.Step] = [
            ResubmitBook.step(
                for: Self.event(2, job: "job-1", status: "success", submissionSeq: 1), submission: first, done: nil,
                maxAttempts: 3, handler: "retry"),
            ResubmitBook.step(
                for: Self.event(2, job: "job-1", status: "fail", submissionSeq: nil), submission: nil, done: nil,
                maxAttempts: 3, handler: "retry"),
            ResubmitBook.step(for: fail, submission: first, done: .resubmitted(.accepted), maxAttempts: 3, handler: "retry"),
            ResubmitBook.step(for: fail, submission: nil, done: nil, maxAttempts: 3, handler: "retry"),
        ]
        for step in ignored {
            guard case .ignore = step else {
                Issue.record("expected nothing to do, got \(step)")
                continue
            }
        }
    }
}
