public import VODHookCore

/// What start-up learns from the ledger files: where the sequence stands and which events were
/// already recorded, so VOD's retries across a restart are still recognised.
public struct LedgerState: Sendable {
    /// The highest seq seen in any file (0 for a new ledger).
    public var lastSeq: UInt64 = 0
    /// The seq of the live file's first line that shows one: the first seq of its rotated name.
    public var liveFirstSeq: UInt64?
    /// Every recorded event's retry identity and body, with the seq of its line.
    public var recorded = RecordedEvents()
    /// Every job the lines tell of, for correlating the events still to come.
    public var index = CorrelationIndex()
    /// The jobs still pending or unknown, with what `jobs` and reconcile show of them.
    public var open = OpenJobs()
    /// Lines read, and lines that could not be decoded (file name, line number, problem).
    public var lineCount = 0
    /// When the latest event line was written (Unix ms), for `vodhook status`.
    public var lastEventAt: Int64?
    public var corruptLines: [(file: String, line: Int, problem: String)] = []

    public init() {}

    /// Folds one line in and returns what it read. Corrupt lines are listed, never dropped
    /// silently: `ledger verify` fails on them.
    @discardableResult
    public mutating func absorb(_ line: LedgerReader.Line) -> LedgerEntry? {
        lineCount += 1
        do {
            let entry = try LedgerLine.read(line.bytes)
            lastSeq = max(lastSeq, entry.seq)
            if entry.kind == .event { lastEventAt = max(lastEventAt ?? entry.at, entry.at) }
            if line.file == .live, liveFirstSeq == nil { liveFirstSeq = entry.seq }
            if let key = entry.dedupKey, entry.kind == .event {
                // The body as written; a line without one matches no body, so nothing is dropped.
                let body =
                    entry.source == EventRecord.pollSource
                    ? nil : DedupKey.Digest(of: LedgerLine.eventBody(line.bytes) ?? [])
                recorded.insert(EventIdentity(key: key.digest, body: body), seq: entry.seq)
            }
            open.absorb(entry, index: index)
            index.absorb(entry)
            return entry
        } catch {
            // A damaged line may still show its seq: never hand that number out again.
            if let seq = LedgerLine.leadingSeq(line.bytes) {
                lastSeq = max(lastSeq, seq)
                if line.file == .live, liveFirstSeq == nil { liveFirstSeq = seq }
            }
            corruptLines.append((line.file.name, line.number, "\(error)"))
            return nil
        }
    }

    /// Reads every ledger file; `observe` sees each readable line's entry, for a caller that
    /// needs more of them than the writer keeps (so the files are read once, not twice).
    public static func scan(_ reader: LedgerReader, observe: (LedgerEntry) -> Void = { _ in }) throws -> LedgerState {
        var state = LedgerState()
        try reader.forEachLine { line in
            if let entry = state.absorb(line) { observe(entry) }
        }
        return state
    }
}
