import Testing
import VODHookCore

/// Lines as the writer would record them, for the index and the job book.
enum Lines {
    static func submitted(
        _ seq: UInt64, job: String?, media: String, type: String = "AIVideoTag",
        outcome: SubmissionRecord.Outcome = .accepted, intent: UInt64? = nil, at: Int64 = 1_000
    ) -> LedgerEntry {
        LedgerEntry(
            seq: seq, at: at,
            record: .submitted(
                SubmissionRecord(
                    outcome: outcome, mediaId: media, aiType: type, jobId: job,
                    error: outcome == .refused ? .init(code: "Throttling", message: "slow down") : nil, intentSeq: intent)))
    }

    static func event(
        _ seq: UInt64, job: String?, media: String?, type: String = "AIVideoTagComplete",
        status: String = "success", submissionSeq: UInt64? = nil, at: Int64 = 2_000
    ) -> LedgerEntry {
        var entry = LedgerEntry(
            seq: seq, at: at, kind: .event, eventType: type, jobId: job, mediaId: media,
            status: status, source: "callback")
        entry.submissionSeq = submissionSeq
        return entry
    }
}

@Suite("Correlation index")
struct CorrelationIndexTests {
    static let job = "b848292fe928dccbff92402b56903ffb"
    static let media = "4fefd4f434d07c2005373156a727d707"

    @Test("VOD's hex IDs are read as numbers; other text is hashed; equal text, equal ID") func compactIDs() {
        let hex = CompactID(Self.job)
        #expect(hex.high == 0xb848_292f_e928_dccb && hex.low == 0xff92_402b_5690_3ffb)
        #expect(CompactID("not-a-hex-id") == CompactID("not-a-hex-id"))
        #expect(CompactID("not-a-hex-id") != CompactID("not-a-hex-iD"))
        #expect(CompactID(Self.job.uppercased()) != hex)  // upper case is hashed, not parsed
    }

    @Test("an event of a submitted job finds its submission by JobId") func byJobId() {
        var index = CorrelationIndex()
        index.absorb(Lines.submitted(5, job: Self.job, media: Self.media))
        #expect(index.submission(forEventType: "AIVideoTagComplete", jobId: Self.job, mediaId: Self.media) == 5)
        #expect(
            index.submission(forEventType: "AIVideoTagComplete", jobId: "ffff292fe928dccbff92402b56903ffb", mediaId: Self.media)
                == nil)
        #expect(index[Self.job]?.state == .pending)
        index.absorb(Lines.event(6, job: Self.job, media: Self.media, status: "fail", submissionSeq: 5))
        #expect(
            index[Self.job]
                == CorrelationIndex.Job(
                    submissionSeq: 5, media: CompactID(Self.media), chainSeq: 5, lastEventSeq: 6, state: .fail, at: 2_000))
        #expect(MemoryLayout<CorrelationIndex.Job>.stride == 48)
    }

    @Test("a re-submission joins the chain of the job it re-submits") func chains() {
        var index = CorrelationIndex()
        index.absorb(Lines.submitted(5, job: Self.job, media: Self.media))
        var again = LedgerEntry(
            seq: 9, at: 0,
            record: .submitted(
                SubmissionRecord(
                    outcome: .accepted, mediaId: Self.media, aiType: "AIVideoTag", jobId: "c0ffee", chain: Self.job, attempt: 2,
                    resubmitOf: Self.job)))
        index.absorb(again)
        #expect(index["c0ffee"]?.chainSeq == 5)
        again.seq = 10
        again.jobId = "c0ffee2"
        again.chain = "never-seen"
        index.absorb(again)
        #expect(index["c0ffee2"]?.chainSeq == 10, "an unknown chain starts at the job itself")
    }

    @Test("events of jobs vodhook did not submit are indexed, uncorrelated") func unsolicited() {
        var index = CorrelationIndex()
        index.absorb(Lines.event(1, job: Self.job, media: Self.media))
        #expect(index.count == 1)
        #expect(index[Self.job]?.submissionSeq == nil)
        #expect(index.submission(forEventType: "AIVideoTagComplete", jobId: Self.job, mediaId: Self.media) == nil)
    }

    @Test("a submission whose answer never came is matched by media and type, once") func unanswered() {
        var index = CorrelationIndex()
        index.absorb(Lines.submitted(3, job: nil, media: Self.media, type: "AIMediaDNA", outcome: .unknown))
        #expect(index.submission(forEventType: "AIVideoTagComplete", jobId: Self.job, mediaId: Self.media) == nil)
        #expect(index.submission(forEventType: "AIMediaDNAComplete", jobId: Self.job, mediaId: Self.media) == 3)
        index.absorb(Lines.event(4, job: Self.job, media: Self.media, type: "AIMediaDNAComplete", submissionSeq: 3))
        #expect(index[Self.job]?.submissionSeq == 3)
        let other = "0000292fe928dccbff92402b56903ffb"
        #expect(index.submission(forEventType: "AIMediaDNAComplete", jobId: other, mediaId: Self.media) == nil)
    }

    @Test("absorbing a record as the writer does equals absorbing its line read back") func recordsAndLines() throws {
        let body = Array(
            #"{"EventType":"AIVideoTagComplete","JobId":"\#(Self.job)","MediaId":"\#(Self.media)","Status":"fail"}"#.utf8)
        let records: [(LedgerRecord, UInt64?)] = [
            (.submitted(SubmissionRecord(outcome: .accepted, mediaId: Self.media, aiType: "AIVideoTag", jobId: Self.job)), nil),
            (.submitted(SubmissionRecord(outcome: .unknown, mediaId: "m2", aiType: "AIMediaDNA")), nil),
            (.event(EventRecord(envelope: try EventParser.envelope(of: body), body: body)), 1),
        ]
        var fromRecords = CorrelationIndex()
        var fromLines = CorrelationIndex()
        for (offset, (record, link)) in records.enumerated() {
            let seq = UInt64(offset + 1)
            fromRecords.absorb(record, seq: seq, at: 0, submissionSeq: link)
            let line = LedgerLine.encode(seq: seq, at: 0, record: record, submissionSeq: link)
            fromLines.absorb(try LedgerLine.decode(line.dropLast()))
        }
        #expect(fromRecords[Self.job] == fromLines[Self.job])
        #expect(fromRecords[Self.job]?.state == .fail)
        #expect(fromRecords.submission(forEventType: "AIMediaDNAComplete", jobId: "x", mediaId: "m2") == 2)
        #expect(fromLines.submission(forEventType: "AIMediaDNAComplete", jobId: "x", mediaId: "m2") == 2)
    }

    @Test("a `sending` line is unanswered until its result settles it; left alone, an event finds it by media") func sending() {
        var index = CorrelationIndex()
        index.absorb(Lines.submitted(1, job: nil, media: Self.media, outcome: .sending))
        #expect(index.submission(forEventType: "AIVideoTagComplete", jobId: Self.job, mediaId: Self.media) == 1)
        index.absorb(Lines.submitted(2, job: Self.job, media: Self.media, intent: 1))
        #expect(index[Self.job]?.submissionSeq == 2)
        #expect(
            index.submission(forEventType: "AIVideoTagComplete", jobId: "0000292fe928dccbff92402b56903ffb", mediaId: Self.media)
                == nil)

        // Refused: nothing left to link. Unknown: the result line is the one an event finds.
        index.absorb(Lines.submitted(3, job: nil, media: "m2", outcome: .sending))
        index.absorb(Lines.submitted(4, job: nil, media: "m2", outcome: .refused, intent: 3))
        #expect(index.submission(forEventType: "AIVideoTagComplete", jobId: "x", mediaId: "m2") == nil)
        index.absorb(Lines.submitted(5, job: nil, media: "m3", outcome: .sending))
        index.absorb(Lines.submitted(6, job: nil, media: "m3", outcome: .unknown, intent: 5))
        #expect(index.submission(forEventType: "AIVideoTagComplete", jobId: "x", mediaId: "m3") == 6)
        // A process killed during the call: its `sending` line is all there is.
        index.absorb(Lines.submitted(7, job: nil, media: "m4", outcome: .sending))
        #expect(index.submission(forEventType: "AIVideoTagComplete", jobId: "x", mediaId: "m4") == 7)
    }

    @Test("refused submissions and events without a JobId index nothing") func ignored() {
        var index = CorrelationIndex()
        index.absorb(Lines.submitted(1, job: nil, media: Self.media, outcome: .refused))
        index.absorb(Lines.event(2, job: nil, media: Self.media, type: "FileUploadComplete", status: "success"))
        #expect(index.count == 0)
        #expect(index.submission(forEventType: "AIVideoTagComplete", jobId: Self.job, mediaId: Self.media) == nil)
    }
}

@Suite("Job book")
struct JobBookTests {
    static let media = "4fefd4f434d07c2005373156a727d707"

    @Test("submissions and their events become one row each, with the latest state") func rows() {
        var book = JobBook()
        book.absorb(Lines.submitted(1, job: "j1", media: Self.media))
        book.absorb(Lines.submitted(2, job: "j2", media: Self.media, type: "AIMediaDNA"))
        book.absorb(Lines.submitted(3, job: nil, media: "m2", outcome: .refused))
        book.absorb(Lines.event(4, job: "j1", media: Self.media, status: "success", submissionSeq: 1))
        book.absorb(Lines.event(5, job: "j9", media: "m3", status: "fail"))
        #expect(book.rows.map(\.state) == [.success, .pending, .refused, .fail])
        #expect(book.rows.map(\.jobId) == ["j1", "j2", nil, "j9"])
        #expect(book.row(jobId: "j1")?.eventCount == 1 && book.row(jobId: "j1")?.lastEventSeq == 4)
        #expect(book.row(jobId: "j9")?.isUnsolicited == true)
        #expect(book.rows[2].error?.code == "Throttling")
        #expect(book.rows(state: .pending).map(\.jobId) == ["j2"])
        #expect(book.rows(mediaId: Self.media).count == 2)
        #expect(book.rows(since: 1_500).map(\.jobId) == ["j9"])
    }

    @Test("an event that overtook its submitted line still lands on the job's row") func eventFirst() {
        var book = JobBook()
        book.absorb(Lines.event(1, job: "j1", media: Self.media, status: "success"))
        book.absorb(Lines.submitted(2, job: "j1", media: Self.media))
        #expect(book.rows.count == 1)
        #expect(book.rows[0].state == .success)
        #expect(book.rows[0].submissionSeq == 2)
        #expect(book.rows[0].eventCount == 1 && book.rows[0].lastEventSeq == 1)
    }

    @Test("an unanswered submission learns its JobId from the event linked to it") func unansweredLinked() {
        var book = JobBook()
        book.absorb(Lines.submitted(1, job: nil, media: Self.media, outcome: .unknown))
        #expect(book.rows[0].state == .unknown)
        book.absorb(Lines.event(2, job: "j1", media: Self.media, status: "success", submissionSeq: 1))
        #expect(book.rows.count == 1)
        #expect(book.rows[0].jobId == "j1")
        #expect(book.rows[0].state == .success)
    }

    @Test("a result settles the row of its `sending` line; a `sending` line left alone is unknown") func sending() {
        var book = JobBook()
        book.absorb(Lines.submitted(1, job: nil, media: "m1", outcome: .sending, at: 500))
        book.absorb(Lines.submitted(2, job: nil, media: "m2", outcome: .sending))
        #expect(book.rows.map(\.state) == [.unknown, .unknown])
        book.absorb(Lines.submitted(3, job: "j1", media: "m1", intent: 1))
        book.absorb(Lines.submitted(4, job: nil, media: "m2", outcome: .refused, intent: 2))
        book.absorb(Lines.submitted(5, job: nil, media: "m3", outcome: .sending))
        #expect(book.rows.count == 3)
        #expect(book.rows.map(\.state) == [.pending, .refused, .unknown])
        #expect(book.rows.map(\.outcome) == [.accepted, .refused, .sending])
        #expect(book.row(jobId: "j1")?.submissionSeq == 3 && book.row(jobId: "j1")?.submittedAt == 500)
        #expect(book.rows[1].error?.code == "Throttling")
        book.absorb(Lines.event(6, job: "j1", media: "m1", status: "success", submissionSeq: 3))
        #expect(book.row(jobId: "j1")?.state == .success)
    }

    @Test("a callback linked to a `sending` line before the result came keeps its state when the result settles the row")
    func sendingOvertaken() {
        var book = JobBook()
        book.absorb(Lines.submitted(1, job: nil, media: "m1", outcome: .sending))
        book.absorb(Lines.event(2, job: "j1", media: "m1", status: "success", submissionSeq: 1))
        book.absorb(Lines.submitted(3, job: "j1", media: "m1", intent: 1))
        #expect(book.rows.count == 1)
        #expect(book.rows[0].jobId == "j1" && book.rows[0].state == .success && book.rows[0].outcome == .accepted)
        #expect(book.rows[0].eventCount == 1 && book.rows[0].submissionSeq == 3)
    }

    @Test("non-AI events are not jobs") func mediaEvents() {
        var book = JobBook()
        book.absorb(Lines.event(1, job: nil, media: Self.media, type: "FileUploadComplete"))
        book.absorb(Lines.event(2, job: "x", media: Self.media, type: "TranscodeComplete"))
        #expect(book.rows.isEmpty)
    }
}

@Suite("Job book: JSON rows")
struct JobRowJSONTests {
    @Test("a row is one JSON object with every field, nulls included, in a fixed order") func jsonLine() throws {
        var book = JobBook()
        book.absorb(Lines.submitted(1, job: "j1", media: "m1", at: 0))
        book.absorb(Lines.event(2, job: "j1", media: "m1", status: "fail", submissionSeq: 1, at: 1_000))
        let text = try #require(book.rows.first).jsonLine()
        #expect(
            text.hasPrefix(
                #"{"job_id":"j1","type":"AIVideoTag","media_id":"m1","state":"fail","unsolicited":false,"submitted_at":"1970-01-01T00:00:00.000Z","submission_seq":1,"request_id":null,"#
            ))
        #expect(
            text.hasSuffix(
                #""last_status":"fail","last_source":"callback","event_count":1,"last_event_seq":2,"error":null,"differing_bodies":0}"#
            ))
    }

    @Test("a line flagged body_differs is counted on its job and changes nothing else, in the book and the index")
    func differingBody() throws {
        var book = JobBook()
        var index = CorrelationIndex()
        var flagged = Lines.event(3, job: "j1", media: "m1", status: "success", submissionSeq: 1, at: 3_000)
        flagged.duplicateOf = 2
        flagged.bodyDiffers = true
        for entry in [
            Lines.submitted(1, job: "j1", media: "m1", at: 0),
            Lines.event(2, job: "j1", media: "m1", status: "fail", submissionSeq: 1, at: 1_000), flagged,
        ] {
            book.absorb(entry)
            index.absorb(entry)
        }
        let row = try #require(book.row(jobId: "j1"))
        #expect(row.state == .fail && row.eventCount == 1 && row.lastEventSeq == 2 && row.differingBodies == 1)
        #expect(row.jsonLine().hasSuffix(#""differing_bodies":1}"#))
        #expect(index["j1"]?.state == .fail && index["j1"]?.lastEventSeq == 2)
    }
}

@Suite("Time specs")
struct TimeSpecTests {
    @Test("spans in s, m, h, d or plain seconds") func spans() {
        #expect(TimeSpec.duration("90s") == 90_000)
        #expect(TimeSpec.duration("10m") == 600_000)
        #expect(TimeSpec.duration("2h") == 7_200_000)
        #expect(TimeSpec.duration("3d") == 259_200_000)
        #expect(TimeSpec.duration("45") == 45_000)
        for bad in ["", "m", "1x", "-5m", "1.5h", "٣m"] { #expect(TimeSpec.duration(bad) == nil, "\(bad)") }
    }

    @Test("instants: a span before now, or UTC RFC 3339 with or without milliseconds") func instants() {
        #expect(TimeSpec.instant("1m", now: 100_000) == 40_000)
        #expect(TimeSpec.instant("1970-01-01T00:01:00Z", now: 0) == 60_000)
        #expect(TimeSpec.instant("1970-01-01T00:01:00.250Z", now: 0) == 60_250)
        #expect(TimeSpec.instant("yesterday", now: 0) == nil)
    }

    @Test("ages for tables") func ages() {
        #expect(TimeSpec.age(milliseconds: 45_000) == "45s")
        #expect(TimeSpec.age(milliseconds: 187_000) == "3m07s")
        #expect(TimeSpec.age(milliseconds: 7_500_000) == "2h05m")
        #expect(TimeSpec.age(milliseconds: 4 * 86_400_000 + 7 * 3_600_000) == "4d07h")
    }
}

@Suite("Progress line")
struct ProgressLineTests {
    @Test("figures: done, percent, rate, ETA, failures") func figures() {
        let line = ProgressLine(done: 412, total: 1000, failed: 2, elapsed: 41.2)
        #expect(line.figures == "412/1000  41%  10.0/s  ETA 59s  2 failed")
        #expect(line.bar(width: 10) == "[####......] " + line.figures)
        #expect(ProgressLine(done: 0, total: 5, failed: 0, elapsed: 0).figures == "0/5  0%  -/s")
        #expect(ProgressLine(done: 5, total: 5, failed: 0, elapsed: 1).figures == "5/5  100%  5.0/s")
    }
}
