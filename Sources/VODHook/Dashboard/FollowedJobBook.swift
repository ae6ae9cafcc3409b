public import Logging
public import VODHookCore

/// The jobs of the last ``window`` (a day), kept current by following the ledger
/// (``LedgerFollower``): the first question reads the files that hold that day's lines (found by
/// their first lines, ``LedgerWindow``), each later one only the lines appended since, so a page
/// costs the same whatever the history's length. What the dashboard answers from, with
/// `vodhook jobs`' own query (``JobBook``). Its book keeps only jobs with lines in the window.
///
/// Dead letters are the exception: any age, from a ``DeadLetterFollower`` made when they are first
/// asked for: the dispatcher's ``DeadLetterFile`` and the lines after it, not the history.
public actor FollowedJobBook {
    public struct Snapshot: Sendable {
        public let book: JobBook
        public let unreadable: Int
        public let lastSeq: UInt64?
        /// Event lines recorded per minute (Unix minute → count), the last day's only.
        public let eventsPerMinute: [Int64: Int]

        /// Event lines recorded in the `span` milliseconds before `now`.
        public func events(since now: Int64, span: Int64) -> Int {
            let first = (now - span) / 60_000
            return eventsPerMinute.reduce(0) { $0 + ($1.key >= first ? $1.value : 0) }
        }
    }

    public nonisolated let dataDir: String
    /// How far back the book reaches (ms).
    public nonisolated let window: Int64
    private var follower: LedgerFollower?
    private let deadFollower: DeadLetterFollower
    private var book = JobBook()
    private var unreadable = 0
    private var lastSeq: UInt64?
    private var eventsPerMinute: [Int64: Int] = [:]

    /// - Parameter logger: where a full read for the dead letters is announced.
    public init(dataDir: String, window: Int64 = 86_400_000, logger: Logger? = nil) {
        self.dataDir = dataDir
        self.window = window
        deadFollower = DeadLetterFollower(dataDir: dataDir, logger: logger)
    }

    /// The book with every line of the window written so far. (Reads files on the caller's
    /// executor: a poll after the first is one read and one `stat`.)
    public func current(now: Int64) throws -> Snapshot {
        let follower =
            try self.follower
            ?? LedgerFollower(dataDir: dataDir, start: .seq(LedgerWindow.startSeq(dataDir: dataDir, notBefore: now - window)))
        self.follower = follower
        try follower.poll { _, entry in
            guard let entry else {
                unreadable += 1
                return
            }
            book.absorb(entry)
            lastSeq = entry.seq
            if entry.kind == .event { eventsPerMinute[entry.at / 60_000, default: 0] += 1 }
        }
        let oldest = (now - 86_400_000) / 60_000
        eventsPerMinute = eventsPerMinute.filter { $0.key >= oldest }
        return Snapshot(
            book: book, unreadable: unreadable, lastSeq: lastSeq, eventsPerMinute: eventsPerMinute)
    }

    /// `vodhook dead`'s list, each letter with its event's fields.
    public func deadLetters(now: Int64, handler: String? = nil) throws -> [DashboardDeadLetter] {
        try deadFollower.poll().letters(handler: handler).map(DashboardDeadLetter.init)
    }
}
