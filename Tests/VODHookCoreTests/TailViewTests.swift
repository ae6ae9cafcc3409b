import Testing
import VODHookCore

@Suite("vodhook tail: filters and the readable line")
struct TailViewTests {
    static let at: Int64 = 1_795_953_821_123  // 2026-11-28T…

    static func event(_ seq: UInt64, job: String = "job-1", status: String = "success", correlated: Bool = false) -> LedgerEntry {
        var entry = LedgerEntry(
            seq: seq, at: at, kind: .event, eventType: "AIMediaDNAComplete", jobId: job, mediaId: "media-1", status: status)
        if correlated { entry.submissionSeq = 1 }
        return entry
    }

    static func handled(_ seq: UInt64, event: UInt64, ok: Bool = true) -> LedgerEntry {
        LedgerEntry(
            seq: seq, at: at,
            record: .handled(
                HandledRecord(
                    handler: "notify", eventSeq: event, attempt: 2, result: ok ? .ok : .failed, durationMs: 17,
                    reason: ok ? nil : "exit 3")))
    }

    static func dead(_ seq: UInt64, event: UInt64) -> LedgerEntry {
        LedgerEntry(
            seq: seq, at: at, record: .dead(DeadRecord(handler: "notify", eventSeq: event, attempts: 5, reason: "exit 3")))
    }

    @Test("an event line: time, seq, kind, type, JobId, MediaId, status, correlated or not")
    func eventLine() {
        let plain = TailFormatter(colour: false)
        #expect(
            plain.line(Self.event(7, correlated: true), underItsEvent: false)
                == "\(EventTime.rfc3339(milliseconds: Self.at))  #7  event      AIMediaDNAComplete  job job-1  media media-1  success  correlated"
        )
        #expect(plain.line(Self.event(8, status: "fail"), underItsEvent: false).hasSuffix("  fail  uncorrelated"))
    }

    @Test("a submission line shows its AI type, outcome and VOD's error code")
    func submittedLine() {
        var entry = LedgerEntry(seq: 3, at: Self.at, kind: .submitted, jobId: nil, mediaId: "media-9")
        entry.aiType = "AIVideoTag"
        entry.outcome = .refused
        entry.error = SubmissionRecord.Failure(code: "Throttling", message: "slow down")
        #expect(
            TailFormatter(colour: false).line(entry, underItsEvent: false).hasSuffix(
                "#3  submitted  AIVideoTag  job -  media media-9  refused  Throttling"))
    }

    @Test("handler lines are indented under an event shown in this session, and stand alone naming it otherwise")
    func handlerLines() {
        var view = TailView(filter: TailFilter(), colour: false)
        do {
            let admitted = view.admit(Self.event(5))
            #expect(admitted)
        }
        let under = Self.handled(6, event: 5, ok: false)
        do {
            let admitted = view.admit(under)
            #expect(admitted)
        }
        #expect(view.text(under) == "    ↳ #6  handled    notify  attempt 2  failed  17ms  exit 3")
        let dead = Self.dead(7, event: 5)
        do {
            let admitted = view.admit(dead)
            #expect(admitted)
        }
        #expect(view.text(dead) == "    ↳ #7  dead       notify  after 5 run(s)  dead  exit 3")
        let orphan = Self.handled(8, event: 2)
        do {
            let admitted = view.admit(orphan)
            #expect(admitted)
        }
        #expect(view.text(orphan).hasSuffix("#8  handled    notify  event #2  attempt 2  ok  17ms"))
        #expect(!view.text(orphan).hasPrefix(" "))
    }

    @Test("the memory of shown events is bounded: the oldest is forgotten first")
    func boundedMemory() {
        var view = TailView(filter: TailFilter(), colour: false, memory: 2)
        for seq: UInt64 in 1...3 {
            let admitted = view.admit(Self.event(seq))
            #expect(admitted)
        }
        #expect(view.text(Self.handled(9, event: 1)).contains("event #1"), "event 1 should be forgotten")
        #expect(view.text(Self.handled(9, event: 2)).hasPrefix("    ↳"))
        #expect(view.text(Self.handled(9, event: 3)).hasPrefix("    ↳"))
    }

    @Test("filters: job, status, type, media, kind, since; handler lines follow their event under content filters")
    func filters() {
        var filter = TailFilter()
        filter.jobs = ["job-2"]
        var view = TailView(filter: filter, colour: false)
        do {
            let admitted = view.admit(Self.event(1, job: "job-1"))
            #expect(!admitted)
        }
        do {
            let admitted = view.admit(Self.event(2, job: "job-2"))
            #expect(admitted)
        }
        do {
            let admitted = view.admit(Self.handled(3, event: 1))
            #expect(!admitted)
        }
        do {
            let admitted = view.admit(Self.handled(4, event: 2))
            #expect(admitted)
        }
        #expect(!view.admitsUnreadable)

        var status = TailFilter()
        status.statuses = ["dead"]
        var statusView = TailView(filter: status, colour: false)
        do {
            let admitted = statusView.admit(Self.event(1))
            #expect(!admitted)
        }
        do {
            let admitted = statusView.admit(Self.dead(2, event: 1))
            #expect(admitted, "--status dead shows dead letters by their own status")
        }
        do {
            let admitted = statusView.admit(Self.handled(3, event: 1, ok: false))
            #expect(!admitted)
        }

        var jobStatus = TailFilter()
        jobStatus.jobs = ["job-1"]
        jobStatus.statuses = ["success", "ok"]
        var jobStatusView = TailView(filter: jobStatus, colour: false)
        do {
            let admitted = jobStatusView.admit(Self.event(1))
            #expect(admitted)
        }
        do {
            let admitted = jobStatusView.admit(Self.handled(2, event: 1))
            #expect(admitted)
        }
        do {
            let admitted = jobStatusView.admit(Self.handled(3, event: 7))
            #expect(!admitted, "not its event: not shown")
        }
        do {
            let admitted = jobStatusView.admit(Self.handled(4, event: 1, ok: false))
            #expect(!admitted, "failed is not ok")
        }

        var kinds = TailFilter()
        kinds.kinds = ["dead"]
        var kindView = TailView(filter: kinds, colour: false)
        do {
            let admitted = kindView.admit(Self.event(1))
            #expect(!admitted)
        }
        do {
            let admitted = kindView.admit(Self.dead(2, event: 1))
            #expect(admitted)
        }

        var typed = TailFilter()
        typed.types = ["AIVideoTag"]
        typed.media = ["media-1"]
        var typedView = TailView(filter: typed, colour: false)
        do {
            let admitted = typedView.admit(Self.event(1))
            #expect(!admitted)
        }
        var submitted = LedgerEntry(seq: 2, at: Self.at, kind: .submitted, mediaId: "media-1")
        submitted.aiType = "AIVideoTag"
        do {
            let admitted = typedView.admit(submitted)
            #expect(admitted)
        }

        var since = TailFilter()
        since.since = Self.at + 1
        var sinceView = TailView(filter: since, colour: false)
        do {
            let admitted = sinceView.admit(Self.event(1))
            #expect(!admitted)
        }
        var later = Self.event(2)
        later.at = Self.at + 1
        do {
            let admitted = sinceView.admit(later)
            #expect(admitted)
        }
        #expect(TailView(filter: TailFilter(), colour: false).admitsUnreadable)
    }

    @Test("colour only when asked; control characters from the ledger never reach the terminal")
    func colourAndControlCharacters() {
        let entry = Self.event(1, job: "evil\u{1B}[2Jjob")
        let coloured = TailFormatter(colour: true).line(entry, underItsEvent: false)
        #expect(coloured.contains("\u{1B}[32msuccess\u{1B}[0m"))
        #expect(coloured.contains("\u{1B}[33muncorrelated\u{1B}[0m"))
        #expect(coloured.contains("job evil?[2Jjob"))
        let plain = TailFormatter(colour: false).line(entry, underItsEvent: false)
        #expect(!plain.contains("\u{1B}"))
    }
}
