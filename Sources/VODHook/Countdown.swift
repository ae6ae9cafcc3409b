import Synchronization

/// Runs an action once, when ``done()`` has been called `count` times, from whichever threads:
/// serve is ready for systemd when both its listener and its ledger are, in either order.
public final class Countdown: Sendable {
    private let left: Mutex<Int>
    private let action: @Sendable () -> Void

    public init(_ count: Int, action: @escaping @Sendable () -> Void) {
        left = Mutex(count)
        self.action = action
    }

    public func done() {
        let fire = left.withLock { left in
            left -= 1
            return left == 0
        }
        if fire { action() }
    }
}
