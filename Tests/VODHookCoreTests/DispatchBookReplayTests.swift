import Testing
import VODHookCore

@Suite("Dispatch state: replay lines")
struct DispatchBookReplayTests {
    typealias Ledger = DispatchBookTests.Ledger

    static func replay(_ handler: String, _ seq: UInt64, job: String?) -> LedgerRecord {
        .replay(ReplayRecord(handler: handler, eventSeq: seq, jobId: job))
    }

    static func names(_ book: DispatchBook) -> [String] { book.openEvents.map { "\($0.handler)@\($0.eventSeq)" } }

    @Test("a replay reopens a dead event with its attempts reset: it runs at once, as attempt 1")
    func dead() {
        var ledger = Ledger()
        let a = ledger.event(job: "j1")
        for attempt in 1...3 { ledger.append(DispatchBookTests.handled("save", a, attempt: attempt, ok: false)) }
        ledger.append(.dead(DeadRecord(handler: "save", eventSeq: a, attempts: 3, reason: "exit 1")))
        ledger.append(DispatchBookTests.handled("all", a, attempt: 1, ok: true))
        #expect(Self.names(ledger.book()).isEmpty)
        ledger.append(Self.replay("save", a, job: "j1"))
        let book = ledger.book()
        #expect(Self.names(book) == ["save@\(a)"])
        let open = try? #require(book.openEvents.first)
        #expect(open?.attemptsMade == 0 && open?.lastReason == nil && open?.jobId == "j1")
        #expect(open.map { book.next($0, now: 99_000) } == .run(attempt: 1, notBefore: 99_000))
        // Its retries are whole again: one failure is not the end.
        ledger.append(DispatchBookTests.handled("save", a, attempt: 1, ok: false))
        let again = ledger.book()
        #expect(
            again.openEvents.first.map { again.next($0, now: 0, random: { $0.upperBound }) }
                == .run(attempt: 2, notBefore: (ledger.entries.last?.at ?? 0) + 10_000))
    }

    @Test("a replay reopens an event finished ok; once ok again it is closed, and can be replayed again")
    func finishedOk() {
        var ledger = Ledger()
        let a = ledger.event(job: "j1")
        ledger.append(DispatchBookTests.handled("all", a, attempt: 1, ok: true))
        ledger.append(DispatchBookTests.handled("save", a, attempt: 1, ok: true))
        ledger.append(Self.replay("all", a, job: "j1"))
        #expect(Self.names(ledger.book()) == ["all@\(a)"])
        ledger.append(DispatchBookTests.handled("all", a, attempt: 1, ok: true))
        #expect(Self.names(ledger.book()).isEmpty)
        ledger.append(Self.replay("all", a, job: "j1"))
        #expect(Self.names(ledger.book()) == ["all@\(a)"])
    }

    @Test("a replay of an event still being retried starts its attempts again")
    func stillOpen() {
        var ledger = Ledger()
        let a = ledger.event(job: "j1")
        ledger.append(DispatchBookTests.handled("save", a, attempt: 1, ok: false))
        ledger.append(DispatchBookTests.handled("save", a, attempt: 2, ok: false))
        ledger.append(Self.replay("save", a, job: "j1"))
        let open = ledger.book().openEvents.first { $0.handler == "save" }
        #expect(open?.attemptsMade == 0 && open?.lastFailureAt == nil)
    }

    @Test(
        "a replay of a handler not configured is ignored; one of an event the book cannot judge is opened for the dispatcher to judge"
    )
    func ignored() {
        var ledger = Ledger()
        let failed = ledger.event(job: "j1", status: "fail")  // `save` takes only successes
        ledger.append(DispatchBookTests.handled("all", failed, attempt: 1, ok: true))
        ledger.append(Self.replay("gone", failed, job: "j1"))
        #expect(Self.names(ledger.book()).isEmpty)
        // The book keeps nothing of finished events, so it cannot tell these from real ones: the
        // dispatcher reads the line when the run starts and gives them up (a `dead` line).
        ledger.append(Self.replay("save", failed, job: "j1"))
        ledger.append(Self.replay("all", 999, job: nil))
        #expect(Set(Self.names(ledger.book())) == ["save@\(failed)", "all@999"])
        #expect(ledger.book().openEvents.allSatisfy { $0.position == nil && $0.attemptsMade == 0 })
    }

    @Test("a reopened event keeps its place in its job's order: a later event of the job waits for it")
    func jobOrder() {
        var ledger = Ledger()
        let a1 = ledger.event(job: "A")
        ledger.append(DispatchBookTests.handled("all", a1, attempt: 1, ok: true))
        let a2 = ledger.event(job: "A")
        #expect(ledger.book().runnable(handler: "all").map(\.eventSeq) == [a2])
        ledger.append(Self.replay("all", a1, job: "A"))
        #expect(ledger.book().runnable(handler: "all").map(\.eventSeq) == [a1])
    }
}
