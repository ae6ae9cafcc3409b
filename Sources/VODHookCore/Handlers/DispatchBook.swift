/// What handlers still owe, folded from the ledger: for each handler, the events it matches
/// that have no final outcome yet (no `handled` line with `ok`, no `dead` line), and those a
/// `replay` line opened again.
///
/// The dispatcher's state is the ledger itself: rebuilt by absorbing every line at start, then
/// kept up by absorbing each line as it is written, so a kill -9 between an event's 200 and a
/// handler's end leaves the event open here after the restart, and it is run again (handlers
/// must be idempotent). Pure: the dispatcher asks ``next(_:now:random:)`` when to run what.
///
/// Bounded: each handler holds at most ``capacity`` open events. The first event past it marks
/// the handler overflowed (``overflow(handler:)``): its later events are not taken from the
/// ledger as it is read, and the dispatcher reads them again from that event's line once the
/// backlog has drained (``absorb(_:at:catchingUp:)``). The ledger is the queue; nothing durable
/// is dropped, and a stuck handler costs memory for ``capacity`` events only.
public struct DispatchBook: Sendable {
    /// What the book needs of a handler: its name, which events it takes, its retries.
    public struct Route: Sendable, Hashable {
        public var name: String
        public var match: HandlerMatch
        public var retry: Backoff

        public init(name: String, match: HandlerMatch, retry: Backoff = HandlerSpec.defaultRetry) {
            self.name = name
            self.match = match
            self.retry = retry
        }

        public init(_ spec: HandlerSpec) {
            self.init(name: spec.name, match: spec.match, retry: spec.retry)
        }
    }

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
        /// Where the event's line is, when known: its body is read from there when a run starts.
        public var position: LedgerPosition?
    }

    /// The first event a full handler did not take: where reading again starts.
    public struct Overflow: Sendable, Hashable {
        public var eventSeq: UInt64
        public var position: LedgerPosition?
    }

    /// What to do about an open event.
    public enum Step: Sendable, Equatable {
        /// Run attempt `attempt` once `notBefore` (Unix ms) has passed.
        case run(attempt: Int, notBefore: Int64)
        /// Retries are spent: write a `dead` line.
        case giveUp(DeadRecord)
    }

    /// One handler's open events.
    private struct Lane: Sendable {
        var open: [UInt64: Open] = [:]
        /// The open events' seqs, ascending (lines are absorbed in ledger order).
        var order: [UInt64] = []
        var overflow: Overflow?

        mutating func insert(_ item: Open) {
            guard open.updateValue(item, forKey: item.eventSeq) == nil else { return }
            if let last = order.last, last > item.eventSeq {
                order.insert(item.eventSeq, at: order.partitionPoint { $0 > item.eventSeq })
            } else {
                order.append(item.eventSeq)
            }
        }

        mutating func remove(_ seq: UInt64) {
            guard open.removeValue(forKey: seq) != nil else { return }
            let index = order.partitionPoint { $0 >= seq }
            if index < order.count, order[index] == seq { order.remove(at: index) }
        }
    }

    public let routes: [Route]
    /// Open events held per handler.
    public let capacity: Int
    private let indexByName: [String: Int]
    private var lanes: [Lane]

    public init(routes: [Route], capacity: Int = .max) {
        self.routes = routes
        self.capacity = max(1, capacity)
        indexByName = Dictionary(routes.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        lanes = Array(repeating: Lane(), count: routes.count)
    }

    public init(handlers: [HandlerSpec], capacity: Int = .max) {
        self.init(routes: handlers.map(Route.init), capacity: capacity)
    }

    /// Folds in one line, in ledger order; `position` is where the line is (for an event's body).
    public mutating func absorb(_ entry: LedgerEntry, at position: LedgerPosition? = nil) {
        switch entry.kind {
        case .event:
            for index in routes.indices where routes[index].match.matches(entry) {
                if lanes[index].overflow == nil, lanes[index].open.count >= capacity {
                    lanes[index].overflow = Overflow(eventSeq: entry.seq, position: position)
                }
                guard lanes[index].overflow == nil else { continue }
                lanes[index].insert(Self.open(entry, routes[index].name, position))
            }
        case .handled, .dead:
            guard let name = entry.handler, let index = indexByName[name] else { return }
            absorbOutcome(entry, lane: index)
        case .replay:
            guard let name = entry.handler, let index = indexByName[name], let seq = entry.eventSeq else { return }
            // Past the overflow, the catch-up read meets this line after the event's own.
            if let overflow = lanes[index].overflow, seq >= overflow.eventSeq { return }
            reopen(seq, jobId: entry.jobId, lane: index)
        case .submitted, .givenUp, .other:
            break
        }
    }

    /// Folds in a line read again for an overflowed handler, from its ``Overflow`` on: its events
    /// and its outcomes only. False when the handler is full again: that event was not taken and
    /// the overflow now starts there.
    public mutating func absorb(_ entry: LedgerEntry, at position: LedgerPosition?, catchingUp name: String) -> Bool {
        guard let index = indexByName[name], let overflow = lanes[index].overflow else { return true }
        switch entry.kind {
        case .event:
            guard entry.seq >= overflow.eventSeq, routes[index].match.matches(entry) else { return true }
            guard lanes[index].open.count < capacity else {
                lanes[index].overflow = Overflow(eventSeq: entry.seq, position: position)
                return false
            }
            lanes[index].insert(Self.open(entry, name, position))
        case .handled, .dead:
            if entry.handler == name { absorbOutcome(entry, lane: index) }
        case .replay:
            if entry.handler == name, let seq = entry.eventSeq, seq >= overflow.eventSeq {
                reopen(seq, jobId: entry.jobId, lane: index)
            }
        case .submitted, .givenUp, .other:
            break
        }
        return true
    }

    /// Where an overflowed handler's events are to be read again from; nil when it has them all.
    public func overflow(handler name: String) -> Overflow? {
        indexByName[name].flatMap { lanes[$0].overflow }
    }

    /// The lowest seq of an event the handler still owes, among those held.
    public func lowestOpen(handler name: String) -> UInt64? {
        indexByName[name].flatMap { lanes[$0].order.first }
    }

    /// A catch-up read reached the line the ledger was read to: the handler has all its events again.
    public mutating func caughtUp(handler name: String) {
        guard let index = indexByName[name] else { return }
        lanes[index].overflow = nil
    }

    /// Open events held for a handler (not counting those past an overflow).
    public func openCount(handler name: String) -> Int {
        indexByName[name].map { lanes[$0].open.count } ?? 0
    }

    /// Every open event, handler by handler in config order, each in ledger order.
    public var openEvents: [Open] {
        lanes.flatMap { lane in lane.order.compactMap { lane.open[$0] } }
    }

    /// The open events a handler may run now without breaking the per-job order: the first open
    /// event of each JobId (events without one are not ordered), in ledger order.
    public func runnable(handler name: String) -> [Open] {
        guard let index = indexByName[name] else { return [] }
        let lane = lanes[index]
        var seenJobs = Set<String>()
        var runnable: [Open] = []
        for seq in lane.order {
            guard let item = lane.open[seq] else { continue }
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
        let retry = routes[index].retry
        guard item.attemptsMade > 0 else { return .run(attempt: 1, notBefore: now) }
        guard let delay = retry.delay(afterAttempts: item.attemptsMade, random: random) else {
            return .giveUp(
                DeadRecord(handler: item.handler, eventSeq: item.eventSeq, attempts: item.attemptsMade, reason: item.lastReason))
        }
        let (seconds, attoseconds) = delay.components
        let waitMs = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return .run(attempt: item.attemptsMade + 1, notBefore: (item.lastFailureAt ?? now) + waitMs)
    }

    /// Applies a `handled` or `dead` line. Monotonic (attempts and failure time only grow), so a
    /// line applied twice, by the dispatcher when it writes it and again when it reads it back,
    /// changes nothing the second time.
    private mutating func absorbOutcome(_ entry: LedgerEntry, lane index: Int) {
        guard let seq = entry.eventSeq, var item = lanes[index].open[seq] else { return }
        guard entry.kind == .handled, entry.result != .ok else {
            lanes[index].remove(seq)
            return
        }
        let attempt = entry.attempt ?? item.attemptsMade + 1
        if attempt >= item.attemptsMade { item.lastReason = entry.reason }
        item.attemptsMade = max(item.attemptsMade, attempt)
        item.lastFailureAt = max(item.lastFailureAt ?? entry.at, entry.at)
        lanes[index].open[seq] = item
    }

    /// Applies a `replay` line: the pair is open again with no runs counted, whatever it was
    /// (dead, ok, still retrying). Whether the handler takes that event is not known here (the
    /// book keeps nothing of finished events); the dispatcher checks it when the run starts.
    private mutating func reopen(_ seq: UInt64, jobId: String?, lane index: Int) {
        if var item = lanes[index].open[seq] {
            item.attemptsMade = 0
            item.lastFailureAt = nil
            item.lastReason = nil
            lanes[index].open[seq] = item
        } else {
            lanes[index].insert(Open(handler: routes[index].name, eventSeq: seq, jobId: jobId, attemptsMade: 0, position: nil))
        }
    }

    private static func open(_ entry: LedgerEntry, _ handler: String, _ position: LedgerPosition?) -> Open {
        Open(handler: handler, eventSeq: entry.seq, jobId: entry.jobId, attemptsMade: 0, position: position)
    }
}

extension Array {
    /// The index of the first element for which `belongs` holds, in an array where it holds of
    /// a suffix (binary search).
    fileprivate func partitionPoint(_ belongs: (Element) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let mid = (low + high) / 2
            if belongs(self[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
