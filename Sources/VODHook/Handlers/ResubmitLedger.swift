import Synchronization
public import VODHookCore

/// The ledger as a `resubmit` handler sees it: a sink for its lines (the same `sending` and
/// result lines as `vodhook submit`, and `given_up`), what was already done about a failed job,
/// and the `submitted` line an event names.
public protocol ResubmitLedger: LedgerSink {
    /// What was done about failed job `jobId` (resubmitted, given up), or nil. Read on every
    /// fail event: from memory, not the files. Throws while the ledger cannot tell (still opening).
    func done(for jobId: String) throws -> ResubmitBook.Done?
    /// Takes `jobId` for one run: nil if it is now this run's (``end(_:)`` releases it),
    /// else what was done already or `.resubmitted(.sending)` while another run holds it.
    func begin(_ jobId: String) throws -> ResubmitBook.Done?
    func end(_ jobId: String)
    /// The `submitted` line `seq` (config and user data included), or nil.
    func submission(seq: UInt64) async throws -> SubmissionRecord?
}

/// The running server's ledger: appends go to its sink (the writer), and what was done about
/// failed jobs is the writer's ``ResubmitBook`` (``LedgerWriter/resubmitDone(for:)``), which
/// its start-up read or checkpoint fills and every appended line updates before the append
/// returns. What this adds is the runs in flight, so two runs never act on one job at once.
public final class LiveResubmitLedger: ResubmitLedger {
    private let sink: any LedgerSink
    private let reader: LedgerReader
    private let book: @Sendable (String) throws -> ResubmitBook.Done?
    private let running = Mutex(Set<String>())

    /// `book` answers ``done(for:)``: the writer's ``LedgerWriter/resubmitDone(for:)``.
    public init(sink: any LedgerSink, dataDir: String, book: @escaping @Sendable (String) throws -> ResubmitBook.Done?) {
        self.sink = sink
        reader = LedgerReader(dataDir: dataDir)
        self.book = book
    }

    /// Over `writer`'s book; `sink` is where the handler's lines go (`writer` itself, or a gate to it).
    public convenience init(sink: any LedgerSink, dataDir: String, writer: LedgerWriter) {
        self.init(sink: sink, dataDir: dataDir, book: { writer.resubmitDone(for: $0) })
    }

    public func append(_ records: [LedgerRecord]) async throws -> [LedgerWriter.Outcome] {
        try await sink.append(records)
    }

    public func close() async {}

    public var description: String { sink.description }

    public func done(for jobId: String) throws -> ResubmitBook.Done? {
        try book(jobId)
    }

    public func begin(_ jobId: String) throws -> ResubmitBook.Done? {
        // Asked again under the lock: a run that just ended had its lines in the book before it let go.
        try running.withLock { running in
            if let done = try book(jobId) { return done }
            return running.insert(jobId).inserted ? nil : .resubmitted(.sending)
        }
    }

    public func end(_ jobId: String) {
        _ = running.withLock { $0.remove(jobId) }
    }

    public func submission(seq: UInt64) async throws -> SubmissionRecord? {
        try reader.submission(seq: seq)
    }
}
