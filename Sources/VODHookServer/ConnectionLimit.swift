import Dispatch
public import HummingbirdCore
public import Logging
import Metrics
import Synchronization
import VODHookCore

/// The cap on one listener's open connections, as Hummingbird applies it on the listening
/// channel (`AvailableConnectionsChannelHandler`): at the cap it stops asking the socket for
/// more, so new connections wait in the kernel's accept backlog (not refused, not reset) and are
/// accepted as soon as one closes. NIO accepts up to `maxMessagesPerRead` (4) connections per
/// read, so a burst can overshoot the cap by at most 3.
///
/// Each time the cap is reached it counts `vodhook_connection_limit_reached_total{listener}` and
/// logs, at most one line per `logEvery`, how often it was reached since the last line.
public struct ConnectionLimit: AvailableConnectionsDelegate {
    public let maximum: Int
    private var open = 0
    private let reached: LimitReached

    public init(maximum: Int, listener: String, logger: Logger, logEvery: Duration = .seconds(10)) {
        self.maximum = maximum
        self.reached = LimitReached(listener: listener, maximum: maximum, logger: logger, logEvery: logEvery)
    }

    public mutating func connectionOpened() {
        open += 1
        if open == maximum { reached.record() }
    }

    public mutating func connectionClosed() {
        open -= 1
    }

    public func isAcceptingNewConnections() -> Bool {
        open < maximum
    }
}

/// The counter and the rate-limited log line of one listener's cap. A class: the delegate is a
/// value copied into the handler, and the window must outlive the copies.
private final class LimitReached: Sendable {
    private let listener: String
    private let maximum: Int
    private let logger: Logger
    private let counter: Counter
    /// One line per `logEvery`, on the uptime clock in nanoseconds.
    private let budget: Mutex<LogBudget>

    init(listener: String, maximum: Int, logger: Logger, logEvery: Duration) {
        self.listener = listener
        self.maximum = maximum
        self.logger = logger
        let (seconds, attoseconds) = logEvery.components
        budget = Mutex(LogBudget(burst: 1, window: seconds * 1_000_000_000 + attoseconds / 1_000_000_000))
        counter = Counter(label: "vodhook_connection_limit_reached_total", dimensions: [("listener", listener)])
    }

    func record() {
        counter.increment()
        let (log, unlogged) = budget.withLock { $0.take(now: Int64(DispatchTime.now().uptimeNanoseconds)) }
        guard log else { return }
        logger.warning(
            "connection limit reached: new connections wait in the listen backlog until one closes",
            metadata: ["listener": "\(listener)", "connections.max": "\(maximum)", "limit.reached": "\(unlogged + 1)"])
    }
}
