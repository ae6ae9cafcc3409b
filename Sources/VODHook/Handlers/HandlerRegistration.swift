public import VODHookCore

/// A handler as the dispatcher runs it: which events it takes and how often it retries (its
/// ``DispatchBook/Route``), how many runs it may have at once, and the code.
public struct HandlerRegistration: Sendable {
    public var route: DispatchBook.Route
    /// Runs of this handler at once; its other events wait (other handlers do not).
    public var maxConcurrent: Int
    public var handler: any EventHandler

    public var name: String { route.name }

    /// - Parameters:
    ///   - name: written in every `handled` and `dead` line; unique among the handlers of a serve.
    ///   - retry: runs in all (the first included) and the waits between them.
    public init(
        name: String, match: HandlerMatch, retry: Backoff = HandlerSpec.defaultRetry, maxConcurrent: Int = 1,
        handler: any EventHandler
    ) {
        self.route = DispatchBook.Route(name: name, match: match, retry: retry)
        self.maxConcurrent = max(1, maxConcurrent)
        self.handler = handler
    }
}
