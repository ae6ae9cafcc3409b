internal import Synchronization
public import VODHook
public import VODHookCore

/// What a reload may change about callbacks: one immutable value, read once per request, so a
/// request is judged by one set of rules from its head to its answer, whatever SIGHUP does meanwhile.
public struct CallbackRules: Sendable {
    /// The paths of the configured public URLs: the only ones that take callbacks.
    public var paths: [String]
    /// `nil` only with `--insecure-no-auth`.
    public var verifier: CallbackVerifier?
    public var maxBody: Int
    /// Whose X-Forwarded-For / X-Real-IP name the client of a refusal.
    public var trustedProxies: TrustedProxies

    public init(paths: [String], verifier: CallbackVerifier?, maxBody: Int, trustedProxies: TrustedProxies = .none) {
        self.paths = paths
        self.verifier = verifier
        self.maxBody = maxBody
        self.trustedProxies = trustedProxies
    }

    /// Whether a request target names a callback route: its path (the part before any query)
    /// is exactly a configured one. VOD posts to the URL as configured, so nothing is normalised.
    func owns(target: String) -> Bool {
        let path = target.utf8.firstIndex(of: UInt8(ascii: "?")).map { target[..<$0] } ?? target[...]
        return paths.contains { $0 == path }
    }
}

/// The rules in force: swapped whole by a reload, read whole by each request.
final class LiveCallbackRules: Sendable {
    // A `let` Mutex over a value type: the compiler checks this class is Sendable. The lock is
    // held only to copy the value (a few references), never across a request.
    private let current: Mutex<CallbackRules>

    init(_ rules: CallbackRules) { current = Mutex(rules) }

    var rules: CallbackRules { current.withLock { $0 } }

    func replace(with rules: CallbackRules) { current.withLock { $0 = rules } }
}
