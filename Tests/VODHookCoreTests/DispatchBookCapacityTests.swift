import Testing
import VODHookCore

@Suite("Dispatch state: bounded per handler, read again from the ledger")
struct DispatchBookCapacityTests {
    typealias Ledger = DispatchBookTests.Ledger

    static func position(_ seq: UInt64) -> LedgerPosition { LedgerPosition(file: .live, offset: Int64(seq) * 100) }

    /// The lines of `ledger` from `seq` on, as a catch-up reads them; false when the book is full again.
    static func catchUp(_ book: inout DispatchBook, _ ledger: Ledger, handler: String) -> Bool {
        guard let from = book.overflow(handler: handler)?.eventSeq else { return true }
        for entry in ledger.entries where entry.seq >= from {
            guard book.absorb(entry, at: position(entry.seq), catchingUp: handler) else { return false }
        }
        book.caughtUp(handler: handler)
        return true
    }

    @Test("a full handler takes no more events and says where they start; another handler is not affected")
    func overflow() {
        var ledger = Ledger()
        let seqs = (0..<5).map { _ in ledger.event(job: nil, status: "fail") }  // "all" only
        var book = DispatchBook(handlers: DispatchBookTests.handlers, capacity: 3)
        for entry in ledger.entries { book.absorb(entry, at: Self.position(entry.seq)) }
        #expect(book.openCount(handler: "all") == 3)
        #expect(book.overflow(handler: "all")?.eventSeq == seqs[3])
        #expect(book.overflow(handler: "all")?.position == Self.position(seqs[3]))
        #expect(book.overflow(handler: "save") == nil)
        #expect(book.openEvents.map(\.position) == seqs.prefix(3).map { Self.position($0) })
    }

    @Test("caught up from the ledger, a drained handler owes every event exactly once, in order, with outcomes applied")
    func catchUpTakesEverything() {
        var ledger = Ledger()
        let seqs = (0..<7).map { _ in ledger.event(job: nil, status: "fail") }
        var book = DispatchBook(handlers: DispatchBookTests.handlers, capacity: 3)
        for entry in ledger.entries { book.absorb(entry) }
        // An earlier run handled seqs[6] (its line is after it); this run handles the first three.
        ledger.append(DispatchBookTests.handled("all", seqs[6], attempt: 1, ok: true))
        book.absorb(ledger.entries[7])  // read while the handler was full: nothing to apply it to yet
        for seq in seqs.prefix(3) {
            ledger.append(DispatchBookTests.handled("all", seq, attempt: 1, ok: true))
            book.absorb(ledger.entries[ledger.entries.count - 1])
        }
        #expect(book.openCount(handler: "all") == 0)
        #expect(!Self.catchUp(&book, ledger, handler: "all"))  // full again after three
        #expect(book.runnable(handler: "all").map(\.eventSeq) == [seqs[3], seqs[4], seqs[5]])
        #expect(book.overflow(handler: "all")?.eventSeq == seqs[6])
        for seq in seqs[3...5] {
            ledger.append(DispatchBookTests.handled("all", seq, attempt: 1, ok: true))
            book.absorb(ledger.entries[ledger.entries.count - 1])
        }
        // seqs[6] is taken, then its earlier outcome closes it.
        #expect(Self.catchUp(&book, ledger, handler: "all"))
        #expect(book.overflow(handler: "all") == nil && book.openCount(handler: "all") == 0)
        // Caught up: the next event is taken as it is read.
        let next = ledger.event(job: nil)
        book.absorb(ledger.entries[ledger.entries.count - 1])
        #expect(book.openEvents.map(\.eventSeq) == [next, next])
    }

    @Test("an outcome absorbed twice (written by the dispatcher, then read back) changes nothing the second time")
    func outcomesAreIdempotent() {
        var ledger = Ledger()
        let a = ledger.event(job: "j")
        ledger.append(DispatchBookTests.handled("save", a, attempt: 1, ok: false))
        ledger.append(DispatchBookTests.handled("save", a, attempt: 2, ok: false))
        var book = ledger.book()
        let once = book.openEvents.first { $0.handler == "save" }
        book.absorb(ledger.entries[1])  // attempt 1's line read back late
        let twice = book.openEvents.first { $0.handler == "save" }
        #expect(once == twice && twice?.attemptsMade == 2 && twice?.lastFailureAt == ledger.entries[2].at)
    }
}
