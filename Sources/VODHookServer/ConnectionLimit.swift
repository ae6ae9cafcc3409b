public import HummingbirdCore
public import Logging
import Metrics
import Synchronization

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
    private struct Window {
        var lastLogged: ContinuousClock.Instant?
        var unlogged = 0
    }

    private let listener: String
    private let maximum: Int
    private let logger: Logger
    private let logEvery: Duration
    private let counter: Counter
    private let window = Mutex(Window())

    init(listener: String, maximum: Int, logger: Logger, logEvery: Duration) {
        self.listener = listener
        self.maximum = maximum
        self.logger = logger
        self.logEvery = logEvery
        counter = Counter(label: "vodhook_connection_limit_reached_total", dimensions: [("listener", listener)])
    }

    func record() {
        counter.increment()
        let now = ContinuousClock.now
        let times = window.withLock { window -> Int? in
            window.unlogged += 1
            if let last = window.lastLogged, now - last < logEvery { return nil }
            defer { window = Window(lastLogged: now) }
            return window.unlogged
        }
        guard let times else { return }
        logger.warning(
            "connection limit reached: new connections wait in the listen backlog until one closes",
            metadata: ["listener": "\(listener)", "connections.max": "\(maximum)", "limit.reached": "\(times)"])
    }
}
