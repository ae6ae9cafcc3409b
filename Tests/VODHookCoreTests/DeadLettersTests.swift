import Foundation
import Testing
import VODHookCore

@Suite("Dead letters: the fold and the file's codec")
struct DeadLettersTests {
    typealias Ledger = HandlerOutcomesTests.Ledger

    /// ``HandlerOutcomesTests/mixed()``, then e2's replayed save fails and dies again, e1's save
    /// is replayed and ends ok, and e4's notify is replayed (still waiting).
    static func ledger() -> (Ledger, [UInt64]) {
        let (mixed, e) = HandlerOutcomesTests.mixed()
        var ledger = mixed
        ledger.run("save", e[1], ok: false, reason: "still broken")
        ledger.die("save", e[1], attempts: 1, reason: "still broken")
        ledger.replay("save", e[0])
        ledger.run("save", e[0], ok: true)
        ledger.replay("notify", e[3])
        return (ledger, e)
    }

    static func fold(_ entries: some Sequence<LedgerEntry>, into start: DeadLetters = DeadLetters()) -> DeadLetters {
        var letters = start
        for entry in entries { letters.absorb(entry) }
        for seq in letters.unresolved { letters.resolve(seq, DeadLetters.Event(nil)) }
        return letters
    }

    static func names(_ letters: [DeadLetters.Pair]) -> [String] {
        letters.map { "\($0.outcome.handler)@\($0.outcome.eventSeq)" }
    }

    @Test("the letters are `vodhook dead`'s (HandlerOutcomes), with their attempts, reasons and replays")
    func sameAsOutcomes() {
        for (ledger, _) in [HandlerOutcomesTests.mixed(), Self.ledger()] {
            let letters = Self.fold(ledger.entries).letters()
            let full = ledger.outcomes.deadLetters()
            #expect(Self.names(letters) == full.map { "\($0.handler)@\($0.eventSeq)" })
            #expect(letters.map(\.outcome.death) == full.map(\.death))
            #expect(letters.map(\.outcome.replays) == full.map(\.replays))
        }
        let (ledger, e) = Self.ledger()
        let letters = Self.fold(ledger.entries)
        #expect(Self.names(letters.letters()) == ["save@\(e[1])"])
        #expect(letters.letters().first?.outcome.replays == 1 && letters.letters().first?.outcome.death?.reason == "still broken")
        #expect(Self.names(letters.letters(handler: "notify")).isEmpty)
        // Kept: the letter and notify@e4, replayed and waiting; the pairs settled ok are gone.
        #expect(letters.count == 2)
        #expect(letters.through == ledger.seq)
    }

    @Test("folding the lines after a saved file gives what folding every line gives, wherever the file was cut")
    func fileIsOnlyAShortcut() throws {
        let (ledger, _) = Self.ledger()
        let whole = Self.fold(ledger.entries)
        for cut in 0...ledger.entries.count {
            let saved = Self.fold(ledger.entries.prefix(cut))
            let loaded = try #require(DeadLetters.decode(try saved.encoded()), "cut at \(cut)")
            #expect(loaded == saved, "cut at \(cut)")
            // Lines at or below `through` come again (a reader starting lower): folded once only.
            let resumed = Self.fold(ledger.entries, into: loaded)
            #expect(resumed.letters() == whole.letters() && resumed.through == whole.through, "cut at \(cut)")
        }
    }

    @Test("a letter's event fields are kept once looked up, and survive the file")
    func events() throws {
        let (ledger, e) = HandlerOutcomesTests.mixed()
        var letters = DeadLetters()
        for entry in ledger.entries { letters.absorb(entry) }
        #expect(letters.unresolved == [e[0], e[3]])
        letters.resolve(e[3], DeadLetters.Event(ledger.events[e[3]]))
        letters.resolve(e[0], DeadLetters.Event(nil))
        #expect(letters.unresolved.isEmpty)
        let loaded = try #require(DeadLetters.decode(try letters.encoded()))
        let notify = try #require(loaded.letters(handler: "notify").first?.event)
        #expect(notify == DeadLetters.Event(ledger.events[e[3]]) && notify.jobId == "A" && notify.status == "fail")
        #expect(loaded.letters(handler: "save").first?.event == DeadLetters.Event(nil))
    }

    @Test("a file that is damaged, of another version, or names a pair past its own seq does not read")
    func rejects() throws {
        let (ledger, _) = HandlerOutcomesTests.mixed()
        let bytes = try Self.fold(ledger.entries).encoded()
        #expect(DeadLetters.decode(bytes) != nil)
        #expect(DeadLetters.decode(bytes.prefix(bytes.count / 2)) == nil)
        #expect(DeadLetters.decode([UInt8]()) == nil)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(DeadLetters.decode(Array(text.replacingOccurrences(of: #""version":1"#, with: #""version":2"#).utf8)) == nil)
        #expect(DeadLetters.decode(Array(text.replacingOccurrences(of: #""through":13"#, with: #""through":3"#).utf8)) == nil)
        #expect(
            DeadLetters.decode(Array(text.replacingOccurrences(of: #""state":"dead""#, with: #""state":"zombie""#).utf8)) == nil)
    }
}
