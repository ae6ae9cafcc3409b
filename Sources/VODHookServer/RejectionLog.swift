public import Logging
import Metrics
import Synchronization
import VODHookCore

/// Logs refused callbacks without letting a flood of them flood the log: at most `burst` lines
/// per `window` seconds, then one line saying how many were left out. Every refusal is counted
/// in `vodhook_callbacks_rejected_total{reason}` whether logged or not.
public final class RejectionLog: Sendable {
    private let budget: Mutex<LogBudget>
    private let logger: Logger
    /// One counter per reason, made once: the reasons are a closed set.
    private let counters: [String: Counter]

    public init(logger: Logger, burst: Int = 20, windowSeconds: Int64 = 10) {
        self.logger = logger
        budget = Mutex(LogBudget(burst: burst, window: windowSeconds))
        let reasons = [
            "missing_header", "malformed_timestamp", "malformed_signature", "stale", "signature_mismatch", "bad_event",
            "too_large", "body_timeout", "request_timeout", "ledger_unavailable",
        ]
        counters = Dictionary(
            uniqueKeysWithValues: reasons.map {
                ($0, Counter(label: "vodhook_callbacks_rejected_total", dimensions: [("reason", $0)]))
            })
    }

    /// Counts a refusal and logs it unless this window's budget is spent. `client` is the peer, or
    /// the address `proxy` (a trusted one) forwarded; `forwardedFor` is a header not believed.
    public func record(status: Int, reason: String, client: String, proxy: String? = nil, forwardedFor: String?, now: Int64) {
        (counters[reason] ?? Counter(label: "vodhook_callbacks_rejected_total", dimensions: [("reason", reason)])).increment()
        let (log, suppressedBefore) = budget.withLock { $0.take(now: now) }
        guard log else { return }
        var metadata: Logger.Metadata = [
            "http.status": "\(status)", "reason": "\(reason)", "client.address": "\(client)",
        ]
        if let proxy { metadata["network.peer.address"] = "\(proxy)" }
        // Client-controlled: escaped so it can neither forge a log line nor flood one.
        if let forwardedFor { metadata["client.forwarded_for"] = "\(LogText.escaped(forwardedFor))" }
        if suppressedBefore > 0 { metadata["rejections.unlogged"] = "\(suppressedBefore)" }
        logger.warning("callback refused", metadata: metadata)
    }
}
