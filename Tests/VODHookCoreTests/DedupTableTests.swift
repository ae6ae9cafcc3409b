import Testing
import VODHookCore

/// Dedup tells VOD's retry (same key, same body) from another body under a recorded key, which
/// is written flagged: a forged body posted first must not silence the genuine event.
@Suite("Dedup decisions")
struct DedupTableTests {
    static func digest(_ text: String) -> DedupKey.Digest { DedupKey.Digest(of: Array(text.utf8)[...]) }
    static let key = digest("AIVideoTagComplete|j-1|success")
    static let genuine = EventIdentity(key: key, body: digest("genuine"))
    static let forged = EventIdentity(key: key, body: digest("forged"))
    static let other = EventIdentity(key: key, body: digest("other"))
    static let polled = EventIdentity(key: key, body: nil)

    @Test("a new key is written; the same body again is a duplicate of its line, another body is written flagged")
    func recordedKey() {
        var table = DedupTable<String>()
        #expect(table.admit(Self.forged, "f") == .write(duplicateOf: nil))
        #expect(table.recorded(Self.forged, seq: 1, at: 0, duplicateOf: nil).retries.isEmpty)
        #expect(table.admit(Self.forged, "f again") == .duplicate(seq: 1))
        #expect(table.admit(Self.genuine, "g") == .write(duplicateOf: 1))
        _ = table.recorded(Self.genuine, seq: 2, at: 0, duplicateOf: 1)
        // VOD's retry of the genuine event is recognised as such, not flagged again.
        #expect(table.admit(Self.genuine, "g again") == .duplicate(seq: 2))
        #expect(table.admit(Self.other, "o") == .write(duplicateOf: 1))
        #expect(table.recorded.count == 1)
    }

    @Test("a retry of a line being written waits for it and shares its outcome")
    func retryWhileWriting() {
        var table = DedupTable<String>()
        #expect(table.admit(Self.genuine, "first") == .write(duplicateOf: nil))
        #expect(table.admit(Self.genuine, "retry") == .held)
        let settled = table.recorded(Self.genuine, seq: 7, at: 0, duplicateOf: nil)
        #expect(settled.retries == ["retry"] && settled.again.isEmpty)
    }

    @Test("another body while the key's first line is written is held, then decided against that line's seq")
    func otherBodyWhileFirstIsWritten() {
        var table = DedupTable<String>()
        #expect(table.admit(Self.forged, "forged") == .write(duplicateOf: nil))
        #expect(table.admit(Self.genuine, "genuine") == .held)
        let settled = table.recorded(Self.forged, seq: 3, at: 0, duplicateOf: nil)
        #expect(settled.again == ["genuine"] && settled.retries.isEmpty)
        #expect(table.admit(Self.genuine, "genuine") == .write(duplicateOf: 3))
    }

    @Test("a failed first line hands back everything held on it; the key is free again")
    func failedFirst() {
        var table = DedupTable<String>()
        #expect(table.admit(Self.forged, "forged") == .write(duplicateOf: nil))
        #expect(table.admit(Self.forged, "forged retry") == .held)
        #expect(table.admit(Self.genuine, "genuine") == .held)
        #expect(Set(table.failed(Self.forged, duplicateOf: nil)) == ["forged retry", "genuine"])
        #expect(table.admit(Self.genuine, "genuine") == .write(duplicateOf: nil))
    }

    @Test("an event learnt from VOD's API stands for its key whatever the body, both ways")
    func polledEvents() {
        var table = DedupTable<String>()
        #expect(table.admit(Self.polled, "poll") == .write(duplicateOf: nil))
        #expect(table.admit(Self.genuine, "callback meanwhile") == .held)
        #expect(table.recorded(Self.polled, seq: 4, at: 0, duplicateOf: nil).retries == ["callback meanwhile"])
        #expect(table.admit(Self.genuine, "late callback") == .duplicate(seq: 4))
        var callbackFirst = DedupTable<String>()
        _ = callbackFirst.admit(Self.genuine, "g")
        _ = callbackFirst.recorded(Self.genuine, seq: 5, at: 0, duplicateOf: nil)
        #expect(callbackFirst.admit(Self.polled, "poll") == .duplicate(seq: 5))
    }

    @Test("start-up rebuilds the same answers from the lines: first lines and flagged ones")
    func rebuilt() {
        var recorded = RecordedEvents()
        recorded.insert(Self.forged, seq: 1, at: 0)
        recorded.insert(Self.genuine, seq: 2, at: 0)
        #expect(recorded.match(Self.forged) == .same(seq: 1))
        #expect(recorded.match(Self.genuine) == .same(seq: 2))
        #expect(recorded.match(Self.other) == .differs(firstSeq: 1))
        #expect(recorded.match(EventIdentity(key: Self.digest("other key"), body: nil)) == .new)
    }

    @Test("a log budget lets a burst through per window and reports what it left out")
    func logBudget() {
        var budget = LogBudget(burst: 2, window: 1000)
        var taken: [Bool] = []
        var unlogged: [Int] = []
        for now: Int64 in [0, 10, 20, 30, 1000, 1001] {
            let (log, left) = budget.take(now: now)
            taken.append(log)
            unlogged.append(left)
        }
        #expect(taken == [true, true, false, false, true, true])
        #expect(unlogged == [0, 0, 0, 0, 2, 0])
    }
}
