public import VODHookCore

/// One job's lines, in ledger order, for `vodhook job`: its submission, its events and their
/// handlers' outcomes, and, when it
/// belongs to a re-submission chain, those of every job of the chain (asked for any of them).
public struct JobHistory: Sendable {
    public struct Line: Sendable {
        public var entry: LedgerEntry
        /// The line as written.
        public var text: String
    }

    /// The chain's first JobId, and every JobId of the chain in order of submission (the asked
    /// job alone when it was never submitted again).
    public var chain: String
    public var jobs: [String]
    public var lines: [Line]

    /// The jobs' rows, built from these lines.
    public var book: JobBook {
        var book = JobBook()
        for line in lines { book.absorb(line.entry) }
        return book
    }

    /// Reads the ledger in `dataDir`: once, and once more only for a job of a longer chain
    /// (the chain's other jobs are known only once the whole ledger is read).
    public static func read(dataDir: String, jobId: String) throws -> JobHistory {
        let reader = LedgerReader(dataDir: dataDir)
        // Re-submissions (rare) by JobId: their chain, to find every member whichever is asked.
        var chainOf: [String: String] = [:]
        var order: [String: UInt64] = [:]
        let first = try collect(reader, jobs: [jobId]) { entry in
            guard entry.kind == .submitted, let id = entry.jobId, let chain = entry.chain, chain != id else { return }
            chainOf[id] = chain
            order[id] = entry.seq
        }
        let chain = chainOf[jobId] ?? jobId
        let members = Set([chain] + chainOf.filter { $0.value == chain }.map(\.key))
        let jobs = [chain] + members.subtracting([chain]).sorted { (order[$0] ?? 0) < (order[$1] ?? 0) }
        guard members.count > 1 else { return JobHistory(chain: chain, jobs: jobs, lines: first) }
        return JobHistory(chain: chain, jobs: jobs, lines: try collect(reader, jobs: members) { _ in })
    }

    /// The lines of `jobs`, the `sending`/`unknown` lines (no JobId) they link to, and the handler
    /// lines of their events, in seq order.
    private static func collect(_ reader: LedgerReader, jobs: Set<String>, _ each: (LedgerEntry) -> Void) throws -> [Line] {
        var lines: [Line] = []
        // Submissions with no JobId are kept aside: a job's result line names its `sending` line,
        // and an event of it may link to either.
        var unanswered: [UInt64: Line] = [:]
        var linked: Set<UInt64> = []
        // Handler lines name their event by seq only; an event comes before its outcomes.
        var events: Set<UInt64> = []
        try reader.forEachLine { line in
            guard line.terminated, let entry = try? LedgerLine.read(line.bytes) else { return }
            each(entry)
            if entry.kind.isHandlerLine {
                guard let seq = entry.eventSeq, events.contains(seq) else { return }
                lines.append(Line(entry: entry, text: String(decoding: line.bytes, as: UTF8.self)))
            } else if let id = entry.jobId, jobs.contains(id) {
                if entry.kind == .event { events.insert(entry.seq) }
                lines.append(Line(entry: entry, text: String(decoding: line.bytes, as: UTF8.self)))
                if let seq = entry.submissionSeq { linked.insert(seq) }
                if let seq = entry.intentSeq { linked.insert(seq) }
            } else if entry.kind == .submitted, entry.jobId == nil {
                let text = String(decoding: line.bytes, as: UTF8.self)
                if let chain = entry.chain, jobs.contains(chain) {
                    // A re-submission of the chain VOD refused, or whose answer never came.
                    lines.append(Line(entry: entry, text: text))
                } else if entry.outcome == .unknown || entry.outcome == .sending {
                    unanswered[entry.seq] = Line(entry: entry, text: text)
                }
            }
        }
        lines += linked.compactMap { unanswered[$0] }
        lines.sort { $0.entry.seq < $1.entry.seq }
        return lines
    }
}
