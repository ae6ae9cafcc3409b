public import VODHookCore

/// What the ledger files say of handlers: every pair's outcomes, and the event lines asked for.
/// Read-only, safe while the server writes.
public struct LedgerHandlerOutcomes: Sendable {
    public var outcomes = HandlerOutcomes()
    /// The events kept, by seq.
    public var events: [UInt64: LedgerEntry] = [:]
    /// Lines that could not be read (`vodhook ledger verify` names them).
    public var unreadable = 0

    /// One pass over every file: outcomes of every pair, and the events `keep` chooses.
    public static func read(dataDir: String, keep: (LedgerEntry) -> Bool) throws -> LedgerHandlerOutcomes {
        var read = LedgerHandlerOutcomes()
        try LedgerReader(dataDir: dataDir).forEachLine { line in
            guard line.terminated else { return }  // being written right now
            guard let entry = try? LedgerLine.read(line.bytes) else {
                read.unreadable += 1
                return
            }
            if entry.kind == .event {
                if keep(entry) { read.events[entry.seq] = entry }
            } else {
                read.outcomes.absorb(entry)
            }
        }
        return read
    }

    /// Adds the event lines of `seqs` not kept yet: a second pass, for the events of dead letters
    /// (a dead line comes long after its event, so the first pass could not know to keep it).
    public mutating func addEvents(_ seqs: some Sequence<UInt64>, dataDir: String) throws {
        let wanted = Set(seqs).subtracting(events.keys)
        guard !wanted.isEmpty else { return }
        try LedgerReader(dataDir: dataDir).forEachLine { line in
            guard line.terminated, let seq = LedgerLine.leadingSeq(line.bytes), wanted.contains(seq),
                let entry = try? LedgerLine.read(line.bytes), entry.kind == .event
            else { return }
            events[entry.seq] = entry
        }
    }
}
