import Testing
import VODHookCore

@Suite("Dispatch state from the ledger")
struct DispatchBookTests {
    static let handlers = [
        HandlerSpec(
            name: "save", match: HandlerMatch(statuses: ["success"]), action: .write(WriteAction(dir: "/r")),
            retry: Backoff(base: .seconds(10), cap: .seconds(60), maxAttempts: 3)),
        HandlerSpec(name: "all", match: HandlerMatch(), action: .write(WriteAction(dir: "/s"))),
    ]

    /// Lines as the reader gives them back, in ledger order.
    struct Ledger {
        var entries: [LedgerEntry] = []
        var seq: UInt64 = 0

        @discardableResult
        mutating func event(job: String?, status: String = "success") -> UInt64 {
            seq += 1
            entries.append(
                LedgerEntry(
                    seq: seq, at: Int64(seq) * 1000, kind: .event, eventType: "AIVideoTagComplete",
                    jobId: job, mediaId: "m", status: status))
            return seq
        }

        mutating func append(_ record: LedgerRecord) {
            seq += 1
            let line = LedgerLine.encode(seq: seq, at: Int64(seq) * 1000, record: record)
            entries.append((try? LedgerLine.read(line.dropLast())) ?? LedgerEntry(seq: seq, at: 0, kind: .other("unreadable")))
        }

        func book() -> DispatchBook {
            var book = DispatchBook(handlers: DispatchBookTests.handlers)
            for entry in entries { book.absorb(entry) }
            return book
        }
    }

    static func handled(_ handler: String, _ seq: UInt64, attempt: Int, ok: Bool) -> LedgerRecord {
        .handled(
            HandledRecord(
                handler: handler, eventSeq: seq, attempt: attempt, result: ok ? .ok : .failed, durationMs: 5,
                reason: ok ? nil : "exit 1"))
    }

    @Test("every matching handler owes every event until an ok or a dead line")
    func openUntilFinal() {
        var ledger = Ledger()
        let a = ledger.event(job: "j1")
        let b = ledger.event(job: "j2", status: "fail")
        #expect(ledger.book().openEvents.map { "\($0.handler)@\($0.eventSeq)" } == ["save@\(a)", "all@\(a)", "all@\(b)"])
        ledger.append(Self.handled("save", a, attempt: 1, ok: true))
        ledger.append(Self.handled("all", a, attempt: 1, ok: false))
        ledger.append(.dead(DeadRecord(handler: "all", eventSeq: b, attempts: 5, reason: "x")))
        let open = ledger.book().openEvents
        #expect(open.map { "\($0.handler)@\($0.eventSeq)" } == ["all@\(a)"])
        #expect(open.first?.attemptsMade == 1 && open.first?.lastReason == "exit 1")
    }

    @Test("outcomes of unknown handlers or events are ignored; a renamed handler starts afresh")
    func unknownOutcomes() {
        var ledger = Ledger()
        let a = ledger.event(job: "j1")
        ledger.append(Self.handled("gone", a, attempt: 1, ok: true))
        ledger.append(Self.handled("save", 999, attempt: 1, ok: true))
        #expect(ledger.book().openEvents.count == 2)
    }

    @Test("retries back off from the last failure, then give up with the last reason")
    func backoff() {
        var ledger = Ledger()
        let a = ledger.event(job: "j1")
        let fresh = ledger.book().openEvents[0]
        #expect(ledger.book().next(fresh, now: 50_000) == .run(attempt: 1, notBefore: 50_000))
        ledger.append(Self.handled("save", a, attempt: 1, ok: false))
        let failedAt = ledger.entries.last?.at ?? 0
        let once = ledger.book().openEvents[0]
        #expect(ledger.book().next(once, now: 0, random: { $0.upperBound }) == .run(attempt: 2, notBefore: failedAt + 10_000))
        ledger.append(Self.handled("save", a, attempt: 2, ok: false))
        let twice = ledger.book().openEvents[0]
        #expect(
            ledger.book().next(twice, now: 0, random: { $0.upperBound })
                == .run(attempt: 3, notBefore: (ledger.entries.last?.at ?? 0) + 20_000))
        ledger.append(Self.handled("save", a, attempt: 3, ok: false))
        let spent = ledger.book().openEvents[0]
        #expect(
            ledger.book().next(spent, now: 0) == .giveUp(DeadRecord(handler: "save", eventSeq: a, attempts: 3, reason: "exit 1")))
    }

    @Test("a kill between the event and its outcome: the event is open again after the restart")
    func crashBeforeOutcome() {
        var ledger = Ledger()
        let a = ledger.event(job: "j1")
        // attempt 1 ran and failed, attempt 2 was running when the process died: no line for it.
        ledger.append(Self.handled("save", a, attempt: 1, ok: false))
        let open = ledger.book().openEvents.first { $0.handler == "save" }
        #expect(open?.attemptsMade == 1)
        #expect(
            open.map { ledger.book().next($0, now: 0, random: { _ in 0 }) }
                == .run(attempt: 2, notBefore: ledger.entries.last?.at ?? -1))
    }

    @Test("events of one JobId reach a handler in ledger order; other jobs are not held up")
    func perJobOrder() {
        var ledger = Ledger()
        let a1 = ledger.event(job: "A")
        let b1 = ledger.event(job: "B")
        let a2 = ledger.event(job: "A")
        let none1 = ledger.event(job: nil)
        let none2 = ledger.event(job: nil)
        #expect(ledger.book().runnable(handler: "all").map(\.eventSeq) == [a1, b1, none1, none2])
        ledger.append(Self.handled("all", a1, attempt: 1, ok: false))
        #expect(ledger.book().runnable(handler: "all").map(\.eventSeq) == [a1, b1, none1, none2])
        ledger.append(Self.handled("all", a1, attempt: 2, ok: true))
        #expect(ledger.book().runnable(handler: "all").map(\.eventSeq) == [b1, a2, none1, none2])
        #expect(ledger.book().runnable(handler: "nope").isEmpty)
    }
}
