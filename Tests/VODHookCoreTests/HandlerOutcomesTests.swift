import Testing
import VODHookCore

@Suite("Handler outcomes, dead letters and replay plans")
struct HandlerOutcomesTests {
    /// A ledger as `vodhook dead`, `replay` and `job` read it.
    struct Ledger {
        var entries: [LedgerEntry] = []
        var seq: UInt64 = 0

        @discardableResult
        mutating func event(job: String, type: String = "AIVideoTagComplete", status: String = "success", media: String = "m1")
            -> UInt64
        {
            seq += 1
            entries.append(
                LedgerEntry(
                    seq: seq, at: Int64(seq) * 1000, kind: .event, eventType: type, jobId: job, mediaId: media, status: status))
            return seq
        }

        mutating func append(_ record: LedgerRecord) {
            seq += 1
            let line = LedgerLine.encode(seq: seq, at: Int64(seq) * 1000, record: record)
            entries.append((try? LedgerLine.read(line.dropLast())) ?? LedgerEntry(seq: seq, at: 0, kind: .other("unreadable")))
        }

        mutating func run(_ handler: String, _ event: UInt64, ok: Bool, attempt: Int = 1, reason: String = "exit 1") {
            append(
                .handled(
                    HandledRecord(
                        handler: handler, eventSeq: event, attempt: attempt, result: ok ? .ok : .failed,
                        durationMs: 3, reason: ok ? nil : reason)))
        }

        mutating func die(_ handler: String, _ event: UInt64, attempts: Int = 2, reason: String = "exit 1") {
            append(.dead(DeadRecord(handler: handler, eventSeq: event, attempts: attempts, reason: reason)))
        }

        mutating func replay(_ handler: String, _ event: UInt64) {
            append(.replay(ReplayRecord(handler: handler, eventSeq: event, jobId: nil)))
        }

        var outcomes: HandlerOutcomes {
            var outcomes = HandlerOutcomes()
            for entry in entries { outcomes.absorb(entry) }
            return outcomes
        }

        var events: [UInt64: LedgerEntry] {
            Dictionary(uniqueKeysWithValues: entries.filter { $0.kind == .event }.map { ($0.seq, $0) })
        }
    }

    static let handlers = [
        HandlerSpec(name: "save", match: HandlerMatch(statuses: ["success"]), action: .write(WriteAction(dir: "/r"))),
        HandlerSpec(
            name: "notify", match: HandlerMatch(eventTypes: ["AIVideoTagComplete"]), action: .write(WriteAction(dir: "/n"))),
    ]

    static func pairs(_ plan: ReplayPlan) -> [String] { plan.items.map { "\($0.handler)@\($0.event.seq)" } }

    /// e1: save dead, notify ok. e2: save dead then replayed. e3: notify dead then ok. e4 (fail): notify dead.
    static func mixed() -> (Ledger, [UInt64]) {
        var ledger = Ledger()
        let e1 = ledger.event(job: "A")
        let e2 = ledger.event(job: "B")
        let e3 = ledger.event(job: "C", media: "m2")
        let e4 = ledger.event(job: "A", status: "fail")
        ledger.run("save", e1, ok: false)
        ledger.run("save", e1, ok: false, attempt: 2, reason: "disk full")
        ledger.die("save", e1, reason: "disk full")
        ledger.run("notify", e1, ok: true)
        ledger.die("save", e2)
        ledger.replay("save", e2)
        ledger.die("notify", e3)
        ledger.run("notify", e3, ok: true)
        ledger.die("notify", e4, attempts: 5, reason: "timed out")
        return (ledger, [e1, e2, e3, e4])
    }

    @Test("a dead letter stays one until a replay or an ok; each pair keeps its runs and replays")
    func fold() {
        let (ledger, e) = Self.mixed()
        let outcomes = ledger.outcomes
        #expect(outcomes.deadLetters().map { "\($0.handler)@\($0.eventSeq)" } == ["save@\(e[0])", "notify@\(e[3])"])
        #expect(outcomes.deadLetters(handler: "notify").map(\.eventSeq) == [e[3]])
        let saved = outcomes.outcome(handler: "save", eventSeq: e[0])
        #expect(saved?.state == .dead && saved?.runs == 2 && saved?.death?.attempts == 2 && saved?.death?.reason == "disk full")
        #expect(outcomes.outcome(handler: "save", eventSeq: e[1])?.state == .replayed)
        #expect(outcomes.outcome(handler: "save", eventSeq: e[1])?.replays == 1)
        #expect(outcomes.outcome(handler: "notify", eventSeq: e[2])?.state == .ok)
        #expect(outcomes.outcomes(eventSeq: e[0]).map(\.handler) == ["save", "notify"])
        #expect(outcomes.handlerNames == ["save", "notify"])
        #expect(saved?.summary.hasPrefix("DEAD after 2 attempt(s): disk full") == true)
        #expect(outcomes.outcome(handler: "notify", eventSeq: e[0])?.summary.hasPrefix("ok (1 run)") == true)
    }

    @Test("a dead letter's JSON carries its event's fields")
    func deadJSON() {
        let (ledger, e) = Self.mixed()
        let letter = ledger.outcomes.deadLetters(handler: "notify")[0]
        #expect(
            letter.deadLetterJSON(event: DeadLetters.Event(ledger.events[e[3]]))
                == #"{"handler":"notify","event_seq":4,"event_type":"AIVideoTagComplete","job_id":"A","media_id":"m1","status":"fail","attempts":5,"reason":"timed out","at":"1970-01-01T00:00:13.000Z","replays":0}"#
        )
    }

    @Test("--dead replays exactly the dead letters; with a config, only its handlers'")
    func planDead() {
        let (ledger, e) = Self.mixed()
        let all = ReplayPlan(
            selection: ReplaySelection(dead: true), events: ledger.events, outcomes: ledger.outcomes, handlers: nil)
        #expect(Self.pairs(all) == ["save@\(e[0])", "notify@\(e[3])"])
        #expect(
            all.items.map(\.record) == [
                ReplayRecord(handler: "save", eventSeq: e[0], jobId: "A"),
                ReplayRecord(handler: "notify", eventSeq: e[3], jobId: "A"),
            ])
        let configured = ReplayPlan(
            selection: ReplaySelection(dead: true), events: ledger.events, outcomes: ledger.outcomes,
            handlers: [Self.handlers[1]])
        #expect(Self.pairs(configured) == ["notify@\(e[3])"] && configured.notConfigured == 1)
        let ofMedia = ReplayPlan(
            selection: ReplaySelection(dead: true, jobId: "A", eventTypes: ["AIVideoTagComplete"]), events: ledger.events,
            outcomes: ledger.outcomes, handlers: nil)
        #expect(Self.pairs(ofMedia) == ["save@\(e[0])", "notify@\(e[3])"])
        let archived = ReplayPlan(selection: ReplaySelection(dead: true), events: [:], outcomes: ledger.outcomes, handlers: nil)
        #expect(archived.items.isEmpty && archived.eventMissing == 2)
    }

    @Test("chosen events: with a config, every handler that takes each; without, the named handler where it ran")
    func planEvents() {
        let (ledger, e) = Self.mixed()
        let byConfig = ReplayPlan(
            selection: ReplaySelection(seqs: 1...3), events: ledger.events, outcomes: ledger.outcomes, handlers: Self.handlers)
        #expect(
            Self.pairs(byConfig) == [
                "save@\(e[0])", "notify@\(e[0])", "save@\(e[1])", "notify@\(e[1])", "save@\(e[2])", "notify@\(e[2])",
            ])
        #expect(byConfig.items[3].previous == nil)
        let one = ReplayPlan(
            selection: ReplaySelection(jobId: "A", handler: "save"), events: ledger.events, outcomes: ledger.outcomes,
            handlers: Self.handlers)
        #expect(Self.pairs(one) == ["save@\(e[0])"])  // e4 is a failure: save does not take it
        let byLedger = ReplayPlan(
            selection: ReplaySelection(mediaId: "m1", handler: "notify"), events: ledger.events,
            outcomes: ledger.outcomes, handlers: nil)
        #expect(Self.pairs(byLedger) == ["notify@\(e[0])", "notify@\(e[3])"] && byLedger.neverRan == 1)
    }

    @Test("selectors: seq ranges and event types read as documented, nonsense is refused")
    func selectors() {
        #expect(ReplaySelection.seqRange("120-180") == 120...180)
        #expect(ReplaySelection.seqRange("7") == 7...7)
        #expect(ReplaySelection.seqRange("7-") == 7...UInt64.max)
        for bad in ["", "9-5", "a-b", "-5", "1-2-3", "1.5", " 1"] { #expect(ReplaySelection.seqRange(bad) == nil, "\(bad)") }
        #expect(
            ReplaySelection.eventTypes("VideoAIComplete, FileUploadComplete")
                == HandlerMatch.aiFamily.union(["FileUploadComplete"]))
        #expect(ReplaySelection.eventTypes(" , ") == nil)
        let selection = ReplaySelection(seqs: 2...3, mediaId: "m2")
        #expect(selection.choosesEvents && !ReplaySelection(dead: true, handler: "x").choosesEvents)
        let (ledger, _) = Self.mixed()
        #expect(ledger.entries.filter(selection.selects(event:)).map(\.seq) == [3])
    }
}
