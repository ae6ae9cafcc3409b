import Testing
import VODHookCore

@Suite("Reconcile: events learnt by polling")
struct PollEventTests {
    static let success = ListAIJobResponse.Job(
        jobId: "b848292fe928dccbff92402b56903ffb", mediaId: "4fefd4f434d07c2005373156a727d707", type: "AIVideoTag",
        status: "success", code: "0", message: "OK", creationTime: "2026-11-24T12:03:02Z",
        completeTime: "2026-11-24T12:03:41Z", data: .string(#"{"Keyword":[{"Tag":"猫","Times":["1000"]}]}"#))

    @Test("a finished job becomes the event its callback would have carried, with the same dedup key") func finished() throws {
        let body = try #require(PollEvent.body(for: Self.success, now: 0))
        let event = try EventParser.parse(body)
        #expect(event.envelope.eventType == "AIVideoTagComplete")
        #expect(event.envelope.jobId == Self.success.jobId)
        #expect(event.envelope.mediaId == Self.success.mediaId)
        #expect(event.envelope.status == "success")
        guard case .tag(let result) = event.data else {
            Issue.record("no tag result: \(event.data)")
            return
        }
        #expect(result.keyword?.map(\.tag) == ["猫"])
        let callback = try EventParser.envelope(
            of: Array(
                #"{"EventType":"AIVideoTagComplete","JobId":"b848292fe928dccbff92402b56903ffb","Status":"success"}"#.utf8))
        #expect(
            EventRecord(envelope: event.envelope, body: body, source: "poll").dedupKey
                == EventRecord(envelope: callback, body: []).dedupKey)
    }

    @Test("a failed job keeps VOD's code and message; with no CompleteTime the time is now") func failed() throws {
        var job = Self.success
        job.status = "fail"
        job.code = "InternalError"
        job.message = "boom"
        job.data = nil
        job.completeTime = nil
        let body = try #require(PollEvent.body(for: job, now: 1_795_521_821_025))
        let event = try EventParser.parse(body)
        #expect(event.envelope.status == "fail")
        #expect(event.code == "InternalError" && event.message == "boom")
        #expect(event.eventTime?.raw == "2026-11-24T12:03:41Z")
    }

    @Test("running, unknown-status or typeless jobs make no event", arguments: ["init", "processing", "analysing"])
    func notFinished(status: String) {
        var job = Self.success
        job.status = status
        #expect(PollEvent.body(for: job, now: 0) == nil)
        var typeless = Self.success
        typeless.type = nil
        #expect(PollEvent.body(for: typeless, now: 0) == nil)
    }

    @Test("candidates: pending jobs vodhook submitted, old enough") func candidates() {
        var book = JobBook()
        book.absorb(Lines.submitted(1, job: "old", media: "m1", at: 0))
        book.absorb(Lines.submitted(2, job: "young", media: "m2", at: 590_000))
        book.absorb(Lines.submitted(3, job: "done", media: "m3", at: 0))
        book.absorb(Lines.event(4, job: "done", media: "m3", submissionSeq: 3))
        book.absorb(Lines.event(5, job: "theirs", media: "m4", status: "processing"))
        #expect(PollEvent.candidates(in: book, olderThan: 600_000, now: 1_000_000) == ["old"])
        #expect(PollEvent.candidates(in: book, olderThan: 0, now: 1_000_000) == ["old", "young"])
    }
}
