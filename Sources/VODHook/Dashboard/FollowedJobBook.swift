public import VODHookCore

/// The jobs the ledger knows, kept current by following it (``LedgerFollower``): the first
/// question reads the history once, each later one only the lines appended since. What the
/// dashboard's `/api/…` answers from, with `vodhook jobs`' own query (``JobBook``).
public actor FollowedJobBook {
    public struct Snapshot: Sendable {
        public let book: JobBook
        public let unreadable: Int
        public let lastSeq: UInt64?
        /// Event lines recorded per minute (Unix minute → count), the last day's only.
        public let eventsPerMinute: [Int64: Int]
        /// The handler outcomes (`vodhook dead`'s fold) of the events that had a dead letter: the
        /// others cannot be one, and keeping only these bounds the memory by the dead letters.
        public let deadOutcomes: HandlerOutcomes

        /// Event lines recorded in the `span` milliseconds before `now`.
        public func events(since now: Int64, span: Int64) -> Int {
            let first = (now - span) / 60_000
            return eventsPerMinute.reduce(0) { $0 + ($1.key >= first ? $1.value : 0) }
        }
    }

    public nonisolated let dataDir: String
    private var follower: LedgerFollower?
    private var book = JobBook()
    private var unreadable = 0
    private var lastSeq: UInt64?
    private var eventsPerMinute: [Int64: Int] = [:]
    private var deadOutcomes = HandlerOutcomes()
    private var eventsWithDeath: Set<UInt64> = []
    /// Event lines of dead letters, looked up once each by seq (a dead line names its event only so).
    private var deadEvents: [UInt64: LedgerEntry] = [:]

    public init(dataDir: String) { self.dataDir = dataDir }

    /// The book with every line written so far. (Reads files on the caller's executor: a poll
    /// after the first is one read and one `stat`.)
    public func current(now: Int64) throws -> Snapshot {
        let follower = try self.follower ?? LedgerFollower(dataDir: dataDir, start: .seq(0))
        self.follower = follower
        try follower.poll { _, entry in
            guard let entry else {
                unreadable += 1
                return
            }
            book.absorb(entry)
            lastSeq = entry.seq
            if entry.kind == .event { eventsPerMinute[entry.at / 60_000, default: 0] += 1 }
            // A `dead` line carries its attempts, so what came before it is not needed; what comes
            // after (a replay, a run that succeeds) is.
            if entry.kind.isHandlerLine, let event = entry.eventSeq, entry.kind == .dead || eventsWithDeath.contains(event) {
                eventsWithDeath.insert(event)
                deadOutcomes.absorb(entry)
            }
        }
        let oldest = (now - 86_400_000) / 60_000
        eventsPerMinute = eventsPerMinute.filter { $0.key >= oldest }
        return Snapshot(
            book: book, unreadable: unreadable, lastSeq: lastSeq, eventsPerMinute: eventsPerMinute, deadOutcomes: deadOutcomes)
    }

    /// `vodhook dead`'s list (``HandlerOutcomes/deadLetters(handler:)``) with each letter's event:
    /// found by seq in the one file that holds it, once, instead of a scan of the history.
    public func deadLetters(now: Int64, handler: String? = nil) throws -> [DashboardDeadLetter] {
        let letters = try current(now: now).deadOutcomes.deadLetters(handler: handler)
        let reader = LedgerReader(dataDir: dataDir)
        return try letters.map { letter in
            if deadEvents[letter.eventSeq] == nil, let bytes = try reader.line(seq: letter.eventSeq),
                let entry = try? LedgerLine.read(bytes[...])
            {
                deadEvents[letter.eventSeq] = entry
            }
            return DashboardDeadLetter(letter, event: deadEvents[letter.eventSeq])
        }
    }
}
