/// What handlers still owe, folded from the ledger: for each handler, the events it matches
/// that have no final outcome yet (no `handled` line with `ok`, no `dead` line), or that a later
/// `replay` line reopened.
///
/// The dispatcher's state is the ledger itself: rebuilt by absorbing every line at start, then
/// kept up by absorbing each line as it is written, so a kill -9 between an event's 200 and a
/// handler's end leaves the event open here after the restart, and it is run again (handlers
/// must be idempotent). Pure: the dispatcher asks ``next(_:now:random:)`` when to run what.
public struct DispatchBook: Sendable {
    /// One event a handler has not finished with.
    public struct Open: Sendable, Hashable {
        public var handler: String
        public var eventSeq: UInt64
        /// For the per-job order: events of one JobId reach a handler in ledger order.
        public var jobId: String?
        /// Runs recorded so far (`handled` lines with `failed`).
        public var attemptsMade: Int
        /// When the last failed run was recorded (Unix ms), for the backoff.
        public var lastFailureAt: Int64?
        public var lastReason: String?
    }

    /// What to do about an open event.
    public enum Step: Sendable, Equatable {
        /// Run attempt `attempt` once `notBefore` (Unix ms) has passed.
        case run(attempt: Int, notBefore: Int64)
        /// Retries are spent: write a `dead` line.
        case giveUp(DeadRecord)
    }

    private struct Key: Hashable {
        let handler: Int
        let eventSeq: UInt64
    }

    public let handlers: [HandlerSpec]
    private let indexByName: [String: Int]
    private var open: [Key: Open] = [:]
    /// Pairs that reached a final outcome (`ok` or `dead`), so a `replay` line can reopen them:
    /// a replay of an event the handler never took (another config, or a mistyped seq) is ignored.
    private var finished: Set<Key> = []

    public init(handlers: [HandlerSpec]) {
        self.handlers = handlers
        indexByName = Dictionary(handlers.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Folds in one line, in ledger order.
    public mutating func absorb(_ entry: LedgerEntry) {
        switch entry.kind {
        case .event:
            for (index, handler) in handlers.enumerated() where handler.match.matches(entry) {
                open[Key(handler: index, eventSeq: entry.seq)] = Open(
                    handler: handler.name, eventSeq: entry.seq, jobId: entry.jobId, attemptsMade: 0)
            }
        case .handled:
            guard let key = key(of: entry), var item = open[key] else { return }
            if entry.result == .ok {
                open[key] = nil
                finished.insert(key)
            } else {
                item.attemptsMade = max(item.attemptsMade, entry.attempt ?? item.attemptsMade + 1)
                item.lastFailureAt = entry.at
                item.lastReason = entry.reason
                open[key] = item
            }
        case .dead:
            guard let key = key(of: entry) else { return }
            if open.removeValue(forKey: key) != nil { finished.insert(key) }
        case .replay:
            // Attempts start again from 1: the operator fixed what failed, or wants the run again.
            guard let key = key(of: entry), let name = entry.handler else { return }
            if open[key] != nil || finished.remove(key) != nil {
                open[key] = Open(handler: name, eventSeq: key.eventSeq, jobId: entry.jobId ?? open[key]?.jobId, attemptsMade: 0)
            }
        case .submitted, .givenUp, .other:
            break
        }
    }

    /// Every open event, handler by handler in config order, each in ledger order.
    public var openEvents: [Open] {
        open.sorted { ($0.key.handler, $0.key.eventSeq) < ($1.key.handler, $1.key.eventSeq) }.map(\.value)
    }

    /// The open events a handler may run now without breaking the per-job order: the first open
    /// event of each JobId (events without one are not ordered), in ledger order.
    public func runnable(handler name: String) -> [Open] {
        guard let index = indexByName[name] else { return [] }
        var seenJobs = Set<String>()
        var runnable: [Open] = []
        for (key, item) in open.sorted(by: { $0.key.eventSeq < $1.key.eventSeq }) where key.handler == index {
            if let job = item.jobId {
                guard seenJobs.insert(job).inserted else { continue }
            }
            runnable.append(item)
        }
        return runnable
    }

    /// When to run an open event again, or that its retries are spent.
    ///
    /// - Parameter random: as ``Backoff/delay(afterAttempts:random:)`` (full jitter).
    public func next(_ item: Open, now: Int64, random: (ClosedRange<Int64>) -> Int64 = { Int64.random(in: $0) }) -> Step {
        guard let index = indexByName[item.handler] else { return .run(attempt: item.attemptsMade + 1, notBefore: now) }
        let retry = handlers[index].retry
        guard item.attemptsMade > 0 else { return .run(attempt: 1, notBefore: now) }
        guard let delay = retry.delay(afterAttempts: item.attemptsMade, random: random) else {
            return .giveUp(DeadRecord(handler: item.handler, eventSeq: item.eventSeq, attempts: item.attemptsMade, reason: item.lastReason))
        }
        let (seconds, attoseconds) = delay.components
        let waitMs = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return .run(attempt: item.attemptsMade + 1, notBefore: (item.lastFailureAt ?? now) + waitMs)
    }

    private func key(of entry: LedgerEntry) -> Key? {
        guard let name = entry.handler, let index = indexByName[name], let seq = entry.eventSeq else { return nil }
        return Key(handler: index, eventSeq: seq)
    }
}
