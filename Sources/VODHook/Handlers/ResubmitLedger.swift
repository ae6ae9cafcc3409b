import Synchronization
public import VODHookCore

/// The ledger as a `resubmit` handler sees it: a sink for its lines (the same `sending` and
/// result lines as `vodhook submit`, and `given_up`), what was already done about a failed job,
/// and the `submitted` line an event names.
public protocol ResubmitLedger: LedgerSink {
    /// What was done about failed job `jobId` (resubmitted, given up), or nil. Read on every
    /// fail event: from memory, not the files.
    func done(for jobId: String) -> ResubmitBook.Done?
    /// Takes `jobId` for one run: nil if it is now this run's (``end(_:)`` releases it),
    /// else what was done already or `.resubmitted(.sending)` while another run holds it.
    func begin(_ jobId: String) -> ResubmitBook.Done?
    func end(_ jobId: String)
    /// The `submitted` line `seq` (config and user data included), or nil.
    func submission(seq: UInt64) async throws -> SubmissionRecord?
}

/// The running server's ledger: appends go to its sink (the writer), and what the handler must
/// know is kept in a ``ResubmitBook`` fed by the start-up read (pass ``absorb(_:)`` as the
/// writer's `observe`, or use ``read(dataDir:)``) and by every line appended through it. Only
/// resubmit handlers write re-submissions and `given_up` lines, so nothing else must be followed.
public final class LiveResubmitLedger: ResubmitLedger {
    private let sink: any LedgerSink
    private let reader: LedgerReader
    private let state = Mutex((book: ResubmitBook(), running: Set<String>()))

    public init(sink: any LedgerSink, dataDir: String, book: ResubmitBook = ResubmitBook()) {
        self.sink = sink
        reader = LedgerReader(dataDir: dataDir)
        state.withLock { $0.book = book }
    }

    /// The book of the ledger in `dataDir`, read from its files (for a caller that did not see
    /// the writer's start-up read).
    public static func read(dataDir: String) throws -> ResubmitBook {
        var book = ResubmitBook()
        try LedgerReader(dataDir: dataDir).forEachLine { line in
            guard line.terminated, let entry = try? LedgerLine.read(line.bytes) else { return }
            book.absorb(entry)
        }
        return book
    }

    /// Folds in a line read at start (the writer's `observe`).
    public func absorb(_ entry: LedgerEntry) {
        state.withLock { $0.book.absorb(entry) }
    }

    public func append(_ records: [LedgerRecord]) async throws -> [LedgerWriter.Outcome] {
        let outcomes = try await sink.append(records)
        state.withLock { state in
            for record in records { state.book.absorb(record) }
        }
        return outcomes
    }

    public func close() async {}

    public var description: String { sink.description }

    public func done(for jobId: String) -> ResubmitBook.Done? {
        state.withLock { $0.book.done(for: jobId) }
    }

    public func begin(_ jobId: String) -> ResubmitBook.Done? {
        state.withLock { state in
            if let done = state.book.done(for: jobId) { return done }
            return state.running.insert(jobId).inserted ? nil : .resubmitted(.sending)
        }
    }

    public func end(_ jobId: String) {
        _ = state.withLock { $0.running.remove(jobId) }
    }

    public func submission(seq: UInt64) async throws -> SubmissionRecord? {
        try reader.submission(seq: seq)
    }
}
