/// Bounded exponential backoff with full jitter: before retry *n* wait a random time between zero
/// and `min(cap, base × 2ⁿ⁻¹)`, and give up after ``maxAttempts`` calls in all.
///
/// Full jitter spreads clients that failed together (throttling is per account, shared by all its
/// users), so they do not come back in step. Pure: the random source is a parameter.
public struct Backoff: Sendable, Hashable {
    /// The ceiling of the first wait.
    public var base: Duration
    /// The largest ceiling, however many retries.
    public var cap: Duration
    /// Calls in all, the first included; 1 means no retry.
    public var maxAttempts: Int

    /// The client's default: 200 ms doubling to 5 s, four calls in all.
    public static let standard = Backoff(base: .milliseconds(200), cap: .seconds(5), maxAttempts: 4)

    /// Creates a policy; `maxAttempts` below 1 is taken as 1.
    public init(base: Duration = .milliseconds(200), cap: Duration = .seconds(5), maxAttempts: Int = 4) {
        self.base = base
        self.cap = cap
        self.maxAttempts = max(1, maxAttempts)
    }

    /// The longest wait before retry `retry` (1 for the first), in whole milliseconds: `min(cap, base × 2^(retry-1))`.
    public func ceilingMilliseconds(beforeRetry retry: Int) -> Int64 {
        let baseMs = max(0, Self.milliseconds(base))
        let capMs = max(0, Self.milliseconds(cap))
        // 2^40 × any sane base is far past any cap; stopping there keeps the shift from overflowing.
        let exponent = min(max(retry - 1, 0), 40)
        let (scaled, overflow) = baseMs.multipliedReportingOverflow(by: Int64(1) << Int64(exponent))
        return overflow ? capMs : min(capMs, scaled)
    }

    /// How long to wait after `attemptsMade` calls have failed, or `nil` when no call is left.
    ///
    /// - Parameter random: returns a value in the given range (inclusive); the result is clamped
    ///   into it, so a bad source cannot break the bounds. Production passes `Int64.random(in:)`.
    public func delay(
        afterAttempts attemptsMade: Int,
        random: (ClosedRange<Int64>) -> Int64 = { Int64.random(in: $0) }
    ) -> Duration? {
        guard attemptsMade >= 1, attemptsMade < maxAttempts else { return nil }
        let ceiling = ceilingMilliseconds(beforeRetry: attemptsMade)
        let chosen = min(max(random(0...ceiling), 0), ceiling)
        return .milliseconds(chosen)
    }

    private static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        return overflow ? (seconds < 0 ? Int64.min : Int64.max) : whole + attoseconds / 1_000_000_000_000_000
    }
}
