import Foundation
import Testing
import VODHookCore

/// ``OpenJobs`` must list exactly the rows ``JobBook`` lists as pending or unknown, whatever the
/// order of the lines, while holding only those rows.
@Suite("Open jobs")
struct OpenJobsTests {
    /// The three views a server and a scan build, fed the same lines in order; an event gets its
    /// `submission_seq` from the index, as the writer gives it.
    struct Views {
        var book = JobBook()
        var index = CorrelationIndex()
        var open = OpenJobs()
        /// The lines fed, shortly, for a failure's message.
        var trace: [String] = []

        mutating func feed(_ entry: LedgerEntry) {
            trace.append(
                "\(entry.seq) \(entry.kind) job=\(entry.jobId.map { String($0.suffix(2)) } ?? "-") media=\(entry.mediaId ?? "-") "
                    + "type=\(entry.eventType ?? "-") outcome=\(entry.outcome.map(\.rawValue) ?? "-") intent=\(entry.intentSeq.map(String.init) ?? "-") "
                    + "status=\(entry.status ?? "-")")
            var entry = entry
            if entry.kind == .event, entry.submissionSeq == nil, let type = entry.eventType {
                entry.submissionSeq = index.submission(forEventType: type, jobId: entry.jobId, mediaId: entry.mediaId)
            }
            book.absorb(entry)
            open.absorb(entry, index: index)
            index.absorb(entry)
        }

        /// What the scan lists as open, against what the open jobs list.
        @discardableResult
        func check(sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
            let scan = book.rows.filter { $0.state == .pending || $0.state == .unknown }
            let same = open.all == scan
            #expect(
                same,
                Comment(
                    rawValue: "only open: \(open.all.filter { !scan.contains($0) }.map { $0.jsonLine() })\n"
                        + "only scan: \(scan.filter { !open.all.contains($0) }.map { $0.jsonLine() })\n"
                        + trace.joined(separator: "\n")),
                sourceLocation: sourceLocation)
            return same
        }
    }

    static func id(_ n: Int) -> String { String(format: "%032x", n) }

    @Test("submitted, then final: the row leaves; pending and unknown rows stay, in ledger order")
    func basic() {
        var views = Views()
        views.feed(Lines.submitted(1, job: Self.id(1), media: "m1"))
        views.feed(Lines.submitted(2, job: Self.id(2), media: "m2"))
        views.feed(Lines.submitted(3, job: nil, media: "m3", outcome: .unknown))
        views.feed(Lines.submitted(4, job: nil, media: "m4", outcome: .refused))
        views.check()
        #expect(views.open.all.map(\.submissionSeq) == [1, 2, 3])
        views.feed(Lines.event(5, job: Self.id(1), media: "m1", status: "fail"))
        views.check()
        #expect(views.open.all.map(\.jobId) == [Self.id(2), nil])
    }

    @Test("a callback that overtakes its submitted line: final, nothing opens; not final, the rows merge")
    func overtaken() {
        var views = Views()
        views.feed(Lines.event(1, job: Self.id(1), media: "m1", status: "success"))
        views.feed(Lines.submitted(2, job: Self.id(1), media: "m1"))
        views.feed(Lines.event(3, job: Self.id(2), media: "m2", status: "running"))
        views.feed(Lines.submitted(4, job: Self.id(2), media: "m2"))
        views.check()
        #expect(views.open.all.map(\.jobId) == [Self.id(2)])
        #expect(views.open.all.first?.eventCount == 1)
    }

    @Test("a sending line is unknown until its result settles it; an event linked by media settles it too")
    func sendingAndSettled() {
        var views = Views()
        views.feed(Lines.submitted(1, job: nil, media: "m1", outcome: .sending))
        views.feed(Lines.submitted(2, job: nil, media: "m2", outcome: .sending))
        views.feed(Lines.submitted(3, job: nil, media: "m3", outcome: .unknown))
        views.check()
        views.feed(Lines.submitted(4, job: Self.id(1), media: "m1", intent: 1))
        views.feed(Lines.event(5, job: Self.id(3), media: "m3", status: "success"))
        views.check()
        #expect(views.open.all.map(\.jobId) == [Self.id(1), nil])
        // The event of the still-sending call, then its result: the job is done, the row final.
        views.feed(Lines.event(6, job: Self.id(2), media: "m2", status: "fail"))
        views.feed(Lines.submitted(7, job: Self.id(2), media: "m2", intent: 2))
        views.check()
        #expect(views.open.all.map(\.jobId) == [Self.id(1)])
    }

    @Test("a differing body counts on an open row; a given_up line leaves nothing open")
    func differingAndGivenUp() {
        var views = Views()
        views.feed(Lines.submitted(1, job: Self.id(1), media: "m1"))
        views.feed(Lines.event(2, job: Self.id(1), media: "m1", status: "running"))
        var differing = Lines.event(3, job: Self.id(1), media: "m1", status: "running")
        differing.duplicateOf = 2
        views.feed(differing)
        views.check()
        #expect(views.open.all.first?.differingBodies == 1)
        views.feed(Lines.event(4, job: Self.id(1), media: "m1", status: "fail"))
        views.feed(LedgerEntry(seq: 5, at: 3_000, kind: .givenUp, jobId: Self.id(1)))
        views.check()
        #expect(views.open.count == 0)
    }

    @Test("random ledgers of submissions, results and callbacks in any order: the same open rows as the scan")
    func randomLedgers() {
        var generator = SplitMix64(seed: 13)
        ledgers: for _ in 0..<500 {
            var views = Views()
            var seq: UInt64 = 0
            var sending: [(seq: UInt64, media: String)] = []
            for _ in 0..<60 {
                seq += 1
                let job = Int.random(in: 0..<12, using: &generator)
                let media = "m\(job)"
                switch Int.random(in: 0..<7, using: &generator) {
                case 0:
                    views.feed(Lines.submitted(seq, job: Self.id(job), media: media))
                case 1:
                    views.feed(Lines.submitted(seq, job: nil, media: media, outcome: .sending))
                    sending.append((seq, media))
                case 2 where !sending.isEmpty:
                    let call = sending.removeFirst()
                    let outcome = [SubmissionRecord.Outcome.accepted, .refused, .unknown].randomElement(using: &generator)
                    let jobId = outcome == .accepted ? Self.id(Int(call.media.dropFirst()) ?? 0) : nil
                    views.feed(
                        Lines.submitted(seq, job: jobId, media: call.media, outcome: outcome ?? .accepted, intent: call.seq))
                case 3:
                    views.feed(Lines.submitted(seq, job: nil, media: media, outcome: .refused))
                case 4:
                    // A job's status once final stays final (VOD's statuses are success and fail).
                    let final = views.book.row(jobId: Self.id(job)).map { $0.state.isFinal } ?? false
                    let status = final ? "success" : ["success", "fail", "running"].randomElement(using: &generator) ?? "fail"
                    views.feed(Lines.event(seq, job: Self.id(job), media: media, status: status, at: Int64(seq)))
                case 5 where views.book.row(jobId: Self.id(job))?.state == .fail:
                    // A resubmit handler gives up only on a failed job.
                    views.feed(LedgerEntry(seq: seq, at: Int64(seq), kind: .givenUp, jobId: Self.id(job)))
                default:
                    views.feed(Lines.event(seq, job: Self.id(job), media: media, type: "ProduceMediaComplete"))
                }
                if !views.check() { break ledgers }
            }
        }
    }

    @Test("the control socket's answer survives its binary codec, every field; a cut or foreign body is refused")
    func codec() throws {
        var views = Views()
        views.feed(Lines.submitted(1, job: nil, media: "m1", outcome: .sending))
        views.feed(Lines.submitted(2, job: nil, media: "m1", outcome: .unknown, intent: 1))
        views.feed(Lines.submitted(3, job: Self.id(3), media: "m3"))
        views.feed(Lines.event(4, job: Self.id(3), media: "m3", status: "running"))
        var timedOut = Lines.submitted(5, job: nil, media: "m5", outcome: .unknown)
        timedOut.error = SubmissionRecord.Failure(code: nil, message: "timed out", requestId: "r-1", httpStatus: 504)
        timedOut.chain = Self.id(9)
        timedOut.attempt = 2
        timedOut.requestId = "392456DE-23B8-BC89-1A3D-BD9CAD3C2D6D"
        views.feed(timedOut)
        let answer = ControlOpenJobsResponse(rows: views.open.all, lastSeq: 5)
        let decoded = try ControlOpenJobsResponse(decoding: answer.encoded())
        #expect(decoded == answer)
        #expect(
            decoded.rows.map { $0.jsonLine() } == views.book.rows(state: nil).filter { !$0.state.isFinal }.map { $0.jsonLine() })
        #expect(decoded.rows.last?.error?.httpStatus == 504 && decoded.rows.last?.chain == Self.id(9))
        #expect(decoded.rows(state: .unknown).count == 2 && decoded.rows(state: .pending, mediaId: "m3").count == 1)
        #expect(throws: ControlOpenJobsError.self) { try ControlOpenJobsResponse(decoding: Array(answer.encoded().dropLast())) }
        #expect(throws: ControlOpenJobsError.self) { try ControlOpenJobsResponse(decoding: Array(#"{"rows":[]}"#.utf8)) }
    }

    @Test("a row keeps every ID exactly: VOD's shapes packed, any other text as it was")
    func idsExact() throws {
        let texts = [
            Self.id(7), "392456DE-23B8-BC89-1A3D-BD9CAD3C2D6D", "392456de-23b8-bc89-1a3d-bd9cad3c2d6d",
            String(Self.id(7).uppercased()), "job-1", "", "é" + String(Self.id(1).dropFirst()),
            "G" + String(Self.id(1).dropFirst()),
            "392456DE-23B8-BC89-1A3D+BD9CAD3C2D6D",
        ]
        for text in texts {
            var open = OpenJobs()
            var entry = Lines.submitted(1, job: text, media: text)
            entry.requestId = text
            entry.chain = text + "x"
            open.absorb(entry, index: CorrelationIndex())
            let row = try #require(open.all.first)
            #expect(row.jobId == text && row.mediaId == text && row.requestId == text && row.chain == text + "x")
            let decoded = try ControlOpenJobsResponse(decoding: ControlOpenJobsResponse(rows: [row], lastSeq: 1).encoded())
            #expect(decoded.rows == [row] && decoded.rows.first?.jobId == text)
            #expect(
                row.matches(state: .pending, mediaId: text, since: nil) && !row.matches(state: .pending, mediaId: "m", since: nil)
            )
        }
    }

    @Test("reading the open rows hands out no share of their storage")
    func readsShareNothing() {
        var views = Views()
        for n in 1...50 { views.feed(Lines.submitted(UInt64(n), job: Self.id(n), media: "m\(n)")) }
        let listed = views.open.all
        let pending = views.open.rows(state: .pending)
        let unshared = views.open.storageIsUnshared()
        #expect(unshared)
        #expect(listed.count == 50 && pending.count == 50)
        // A copy of the whole value does share it: the check can tell.
        let copy = views.open
        let shared = !views.open.storageIsUnshared()
        #expect(shared)
        #expect(copy.count == 50)
    }
}
