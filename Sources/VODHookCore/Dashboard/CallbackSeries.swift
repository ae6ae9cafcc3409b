/// Callbacks per minute for the overview and its chart: the tally's counts since the server
/// started, and before that the event lines the ledger recorded (accepted only: a refusal leaves
/// no line, so refused counts start with the server).
public struct CallbackSeries: Sendable, Equatable {
    public struct Point: Sendable, Equatable {
        /// Unix minute.
        public var minute: Int64
        public var accepted: Int
        public var refused: Int
    }

    /// Oldest first, one point per minute, the last one the current minute.
    public var points: [Point]
    /// The first minute whose refusals were counted (the server's start, or the window's start).
    public var refusalsSince: Int64

    /// The `minutes` minutes up to `now` (a Unix minute). `ledgerEvents` is event lines per Unix
    /// minute, as the ledger recorded them.
    public init(minutes: Int, now: Int64, tally: MinuteTally, ledgerEvents: [Int64: Int]) {
        let first = now - Int64(max(1, minutes)) + 1
        points = (first...now).map { minute in
            let ledger = ledgerEvents[minute] ?? 0
            guard let bucket = tally.bucket(minute: minute, now: now) else {
                return Point(minute: minute, accepted: ledger, refused: 0)
            }
            // The start minute: lines recorded by an earlier run in that minute count too.
            let accepted = minute == tally.startMinute ? max(bucket.accepted, ledger) : bucket.accepted
            return Point(minute: minute, accepted: accepted, refused: bucket.refused)
        }
        refusalsSince = max(first, tally.startMinute)
    }

    /// Totals over the last `minutes` points.
    public func totals(lastMinutes minutes: Int) -> (accepted: Int, refused: Int) {
        points.suffix(minutes).reduce((0, 0)) { ($0.0 + $1.accepted, $0.1 + $1.refused) }
    }
}

extension CallbackSeries {
    /// A series of points already built (a part of a longer one).
    public init(points: [Point], refusalsSince: Int64) {
        self.points = points
        self.refusalsSince = refusalsSince
    }
}
