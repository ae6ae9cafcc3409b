import VODHookCore

/// Reads the ledger's lines in seq order as the writer makes them durable: the rotated files
/// first, then the live file up to the writer's ``LedgerWriter/DurableEnd``, across rotations.
/// A line past the durable end may still be cut (a failed write answers 503), so it is never read.
final class DurableLedgerReader {
    let dataDir: String
    /// The last seq delivered; lines at or below it are skipped.
    private(set) var lastSeq: UInt64
    /// Where reading starts, when known (a catch-up from an event's line).
    private var hint: LedgerPosition?
    /// The file being read: kept open across reads, so a rotation cannot hide its tail.
    private var current: LedgerCursor?

    init(dataDir: String, after seq: UInt64 = 0, hint: LedgerPosition? = nil) {
        self.dataDir = dataDir
        self.lastSeq = seq
        self.hint = hint
    }

    /// Delivers each durable line after ``lastSeq`` up to `through`, in order, with its position.
    /// Returns false when `body` did (that line comes again next time), true once every line up to
    /// `end` or `through` was delivered. An unreadable line is skipped (`ledger verify` names it).
    func read(
        to end: LedgerWriter.DurableEnd, through maxSeq: UInt64 = .max,
        _ body: (LedgerEntry, LedgerPosition) throws -> Bool
    ) throws -> Bool {
        if let cursor = current {
            let isLive = cursor.identity == end.live
            guard try deliver(cursor, limit: isLive ? end.liveLength : nil, through: maxSeq, body) else { return false }
            // Still the live file: nothing is durable past it. Else it was rotated, and is read whole.
            if isLive || lastSeq >= maxSeq { return true }
            current = nil
        }
        let files = try LedgerReader(dataDir: dataDir).files()
        for file in files {
            guard case .rotated(_, let last) = file, last > lastSeq else { continue }
            guard let cursor = try open(file, among: files) else { continue }
            current = cursor
            guard try deliver(cursor, limit: nil, through: maxSeq, body) else { return false }
            current = nil
            if lastSeq >= maxSeq { return true }
        }
        guard let cursor = try open(.live, among: files), cursor.identity == end.live else {
            return true  // created by a rotation not yet published: read at the next wake
        }
        current = cursor
        return try deliver(cursor, limit: end.liveLength, through: maxSeq, body)
    }

    /// Opens a file at the hint's offset when the hint's line is in it, else at its start.
    private func open(_ file: LedgerFileName, among files: [LedgerFileName]) throws -> LedgerCursor? {
        guard let hint, LedgerFileName.holding(lastSeq + 1, among: files) == file,
            let cursor = try LedgerCursor(dataDir: dataDir, file: file, offset: hint.offset)
        else { return try LedgerCursor(dataDir: dataDir, file: file) }
        self.hint = nil
        // The hint must point at the line after lastSeq; any doubt reads the file from its start.
        guard let line = try cursor.peek(), LedgerLine.leadingSeq(line) == lastSeq + 1 else {
            return try LedgerCursor(dataDir: dataDir, file: file)
        }
        return cursor
    }

    private func deliver(
        _ cursor: LedgerCursor, limit: Int64?, through maxSeq: UInt64,
        _ body: (LedgerEntry, LedgerPosition) throws -> Bool
    ) throws -> Bool {
        var stopped = false
        _ = try cursor.read(upTo: limit) { bytes, offset in
            guard let entry = try? LedgerLine.read(bytes) else { return true }
            guard entry.seq > lastSeq else { return true }
            guard entry.seq <= maxSeq else { return false }
            guard try body(entry, LedgerPosition(file: cursor.file, offset: offset)) else {
                stopped = true
                return false
            }
            lastSeq = entry.seq
            return true
        }
        return !stopped
    }
}

/// An event's line, read when a run starts: the dispatcher holds no bodies, only where their
/// lines are.
enum LedgerEventLookup {
    /// The event's ledger entry and its `event` object; nil if its line is not in the data directory.
    static func event(dataDir: String, seq: UInt64, position: LedgerPosition?) throws -> (entry: LedgerEntry, body: [UInt8])? {
        let files = try LedgerReader(dataDir: dataDir).files()
        guard let file = LedgerFileName.holding(seq, among: files) else { return nil }
        if let position, file == position.file || position.file == .live,
            let cursor = try LedgerCursor(dataDir: dataDir, file: file, offset: position.offset, chunkSize: 16 << 10),
            let line = try cursor.peek(), LedgerLine.leadingSeq(line) == seq
        {
            return decode(line)
        }
        // No position, or the line is not where it was: look through the file that holds its seq.
        guard let cursor = try LedgerCursor(dataDir: dataDir, file: file) else { return nil }
        var found: (entry: LedgerEntry, body: [UInt8])?
        _ = try cursor.read(upTo: nil) { line, _ in
            guard LedgerLine.leadingSeq(line) == seq else { return true }
            found = decode(line)
            return false
        }
        return found
    }

    private static func decode(_ line: ArraySlice<UInt8>) -> (entry: LedgerEntry, body: [UInt8])? {
        guard let entry = try? LedgerLine.read(line), entry.kind == .event, let body = LedgerLine.eventBody(line) else {
            return nil
        }
        return (entry, Array(body))
    }
}
