/// One entry of the config file's `handlers:` list: which events it takes, what it does with
/// each, and how often a failed run is tried again before the event is given up (`dead`).
public struct HandlerSpec: Sendable, Hashable {
    /// Unique among the handlers; written in every `handled` and `dead` line, so renaming a
    /// handler makes it a new one that has handled nothing yet.
    public var name: String
    public var match: HandlerMatch
    public var action: HandlerAction
    /// Runs in all (the first included) and the waits between them.
    public var retry: Backoff

    /// Five runs, waits from up to 10 s doubling to at most 10 min: a program or disk that is
    /// down for a few minutes does not turn events into dead letters.
    public static let defaultRetry = Backoff(base: .seconds(10), cap: .seconds(600), maxAttempts: 5)

    public init(name: String, match: HandlerMatch, action: HandlerAction, retry: Backoff = defaultRetry) {
        self.name = name
        self.match = match
        self.action = action
        self.retry = retry
    }
}
