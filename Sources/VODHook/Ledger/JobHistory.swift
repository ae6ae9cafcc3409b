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

    /// Reads the lines of the job in `dataDir` through the job index (docs/ledger.md, "The job
    /// index"): each ledger file's sidecar, and a scan of the lines no sidecar covers yet. A
    /// missing or unusable sidecar is built and written (when the data directory can be written).
    public static func read(dataDir: String, jobId: String) throws -> JobHistory {
        try read(dataDir: dataDir, jobId: jobId, liveTailToPersist: JobLineFinder.liveTailToPersist)
    }

    /// The same, writing the live file's sidecar once this many of its bytes are past it.
    package static func read(dataDir: String, jobId: String, liveTailToPersist: Int64) throws -> JobHistory {
        let finder = try JobLineFinder(dataDir: dataDir, liveTailToPersist: liveTailToPersist)
        let own = try finder.lines([.job(jobId)])
        // A re-submission's `submitted` line names its chain's first job; the chain's members
        // name it by `chain` on theirs.
        let chain =
            own.last { $0.entry.kind == .submitted && $0.entry.chain != nil && $0.entry.chain != jobId }?.entry.chain ?? jobId
        let (members, jobs) = chainMembers(of: chain, try finder.lines([.chain(chain)]))
        var candidates = try finder.lines(Set(members.map(JobIndexKey.job)).union([.chain(chain)]))
        var linked: Set<JobIndexKey> = []
        for line in candidates {
            if line.entry.kind == .event { linked.insert(.eventSeq(line.entry.seq)) }
            if let seq = line.entry.submissionSeq { linked.insert(.unanswered(seq)) }
            if let seq = line.entry.intentSeq { linked.insert(.unanswered(seq)) }
        }
        let found = Set(candidates.map(\.entry.seq))
        candidates += try finder.lines(linked).filter { !found.contains($0.entry.seq) }
        candidates.sort { $0.entry.seq < $1.entry.seq }
        return JobHistory(chain: chain, jobs: jobs, lines: collect(candidates.map { ($0.entry, $0.text) }, jobs: members))
    }

    /// The same answer from every line of every file, without the index: what the index must
    /// agree with (the tests compare the two).
    package static func scan(dataDir: String, jobId: String) throws -> JobHistory {
        let reader = LedgerReader(dataDir: dataDir)
        var all: [Line] = []
        try reader.forEachLine { line in
            guard line.terminated, let entry = try? LedgerLine.read(line.bytes) else { return }
            all.append(Line(entry: entry, text: String(decoding: line.bytes, as: UTF8.self)))
        }
        let chain =
            all.last {
                $0.entry.kind == .submitted && $0.entry.jobId == jobId && $0.entry.chain != nil && $0.entry.chain != jobId
            }?
            .entry.chain ?? jobId
        let (members, jobs) = chainMembers(of: chain, all)
        return JobHistory(chain: chain, jobs: jobs, lines: collect(all.map { ($0.entry, $0.text) }, jobs: members))
    }

    /// The JobIds of `chain` (its first job and every re-submission named on a `submitted` line
    /// of `lines`), as a set and in order of submission.
    private static func chainMembers(of chain: String, _ lines: [Line]) -> (Set<String>, [String]) {
        var order: [String: UInt64] = [:]
        for line in lines where line.entry.kind == .submitted && line.entry.chain == chain {
            guard let id = line.entry.jobId, id != chain else { continue }
            order[id] = line.entry.seq
        }
        let members = Set([chain] + order.keys)
        return (members, [chain] + order.keys.sorted { (order[$0] ?? 0) < (order[$1] ?? 0) })
    }

    /// The lines of `jobs`, the `sending`/`unknown` lines (no JobId) they link to, and the handler
    /// lines of their events, in seq order.
    private static func collect(_ candidates: [(LedgerEntry, String)], jobs: Set<String>) -> [Line] {
        var lines: [Line] = []
        // Submissions with no JobId are kept aside: a job's result line names its `sending` line,
        // and an event of it may link to either.
        var unanswered: [UInt64: Line] = [:]
        var linked: Set<UInt64> = []
        // Handler lines name their event by seq only; an event comes before its outcomes.
        var events: Set<UInt64> = []
        for (entry, text) in candidates {
            if entry.kind.isHandlerLine {
                guard let seq = entry.eventSeq, events.contains(seq) else { continue }
                lines.append(Line(entry: entry, text: text))
            } else if let id = entry.jobId, jobs.contains(id) {
                if entry.kind == .event { events.insert(entry.seq) }
                lines.append(Line(entry: entry, text: text))
                if let seq = entry.submissionSeq { linked.insert(seq) }
                if let seq = entry.intentSeq { linked.insert(seq) }
            } else if entry.kind == .submitted, entry.jobId == nil {
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
