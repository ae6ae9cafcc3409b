/// At most `burst` log lines per window, so a flood cannot flood the log; the lines left out are
/// counted and reported with the next one logged. Pure: the caller passes the time.
public struct LogBudget: Sendable {
    private let burst: Int
    private let window: Int64
    private var start: Int64?
    private var logged = 0
    private var unlogged = 0

    /// - Parameter window: the window's length, in the unit `take(now:)` is given.
    public init(burst: Int, window: Int64) {
        self.burst = burst
        self.window = window
    }

    /// Whether to log a line now, and how many were left out since the last one logged.
    public mutating func take(now: Int64) -> (log: Bool, unlogged: Int) {
        if let start, now - start < window {
            guard logged < burst else {
                unlogged += 1
                return (false, 0)
            }
            logged += 1
            return (true, 0)
        }
        defer { unlogged = 0 }
        start = now
        logged = 1
        return (true, unlogged)
    }
}
