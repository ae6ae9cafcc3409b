public import Synchronization
public import VODHookCore

/// The callback listener's answers per minute (``MinuteTally``), shared between the intake that
/// counts them and the dashboard that shows them.
public final class CallbackTally: Sendable {
    private let tally: Mutex<MinuteTally>

    /// `startSeconds`: Unix seconds of the server's start, the first minute counted.
    public init(startSeconds: Int64) { tally = Mutex(MinuteTally(startMinute: startSeconds / 60)) }

    func accepted(atSeconds seconds: Int64) { tally.withLock { $0.countAccepted(minute: seconds / 60) } }

    func refused(atSeconds seconds: Int64) { tally.withLock { $0.countRefused(minute: seconds / 60) } }

    /// A copy of the counts so far (a day of minutes: about 35 KB).
    public var snapshot: MinuteTally { tally.withLock { $0 } }
}
