public import VODHookCore

/// Code that acts on recorded events: one of the config file's actions (`write`, `exec`,
/// `resubmit`) or a Swift handler of one's own (see Examples/CustomHandler).
///
/// The dispatcher calls it at least once for each matching event, never on the request path:
/// again after a failed run (with backoff), and again after a crash between the event's 200 and
/// the run's recorded end. So a handler must be idempotent: the same event twice does no harm.
public protocol EventHandler: Sendable {
    /// Returning is success (a `handled` line with `ok`); throwing is a failed run, tried again
    /// later, whose error's description (shortened) becomes the line's `reason`.
    func handle(_ event: HandlerEvent) async throws
}

/// One event as a handler gets it.
public struct HandlerEvent: Sendable {
    /// The event's ledger line: seq, event type, JobId, MediaId, status, correlation.
    public var entry: LedgerEntry
    /// The `event` object as recorded: VOD's JSON body, byte for byte.
    public var body: [UInt8]
    /// 1 for the first run of this handler on this event; counts up with each retry.
    public var attempt: Int

    public init(entry: LedgerEntry, body: [UInt8], attempt: Int) {
        self.entry = entry
        self.body = body
        self.attempt = attempt
    }
}
