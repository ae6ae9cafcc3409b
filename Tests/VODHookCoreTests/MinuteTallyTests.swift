import Testing

@testable import VODHookCore

@Suite("Callbacks per minute: the tally and the series")
struct MinuteTallyTests {
    @Test("counts per minute; nothing before the start; a day later the slot is reused, not added to")
    func ring() {
        var tally = MinuteTally(startMinute: 1000)
        tally.countAccepted(minute: 1000)
        tally.countAccepted(minute: 1000)
        tally.countRefused(minute: 1000)
        tally.countRefused(minute: 1002)
        #expect(tally.bucket(minute: 1000, now: 1002) == .init(minute: 1000, accepted: 2, refused: 1))
        #expect(tally.bucket(minute: 1001, now: 1002) == .init(minute: 1001, accepted: 0, refused: 0))
        #expect(tally.bucket(minute: 999, now: 1002) == nil, "before the start: unknown, not zero")
        let dayLater = 1000 + Int64(MinuteTally.capacity)
        tally.countRefused(minute: dayLater)
        #expect(tally.bucket(minute: dayLater, now: dayLater) == .init(minute: dayLater, accepted: 0, refused: 1))
        #expect(tally.bucket(minute: 1000, now: dayLater) == nil, "out of the ring")
        // A count for a minute already overwritten (the clock stepped back) is dropped.
        tally.countAccepted(minute: 1000)
        #expect(tally.bucket(minute: dayLater, now: dayLater)?.accepted == 0)
    }

    @Test("the series takes the ledger's events before the start, the tally's counts after, the larger in the start minute")
    func series() {
        var tally = MinuteTally(startMinute: 100)
        tally.countAccepted(minute: 100)
        tally.countAccepted(minute: 102)
        tally.countRefused(minute: 102)
        tally.countRefused(minute: 102)
        let ledger: [Int64: Int] = [97: 4, 99: 1, 100: 3, 102: 1]
        let series = CallbackSeries(minutes: 6, now: 102, tally: tally, ledgerEvents: ledger)
        #expect(series.points.map(\.minute) == [97, 98, 99, 100, 101, 102])
        #expect(series.points.map(\.accepted) == [4, 0, 1, 3, 0, 1])
        #expect(series.points.map(\.refused) == [0, 0, 0, 0, 0, 2])
        #expect(series.refusalsSince == 100)
        #expect(series.totals(lastMinutes: 3) == (accepted: 4, refused: 2))
        #expect(series.totals(lastMinutes: 60) == (accepted: 9, refused: 2))
    }
}
