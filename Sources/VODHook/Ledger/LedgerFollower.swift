public import VODHookCore

/// Follows the ledger as `tail -F` follows a file: each ``poll(_:)`` delivers the whole lines
/// appended since the last one, across rotations, in seq order, each once. Read-only and
/// lock-free like ``LedgerReader``, whose reads (and file identity by device and inode) it reuses.
///
/// Polled rather than woken by inotify: one `fstat`-sized read and one `stat` per poll cost
/// nothing at a few polls a second, work the same on every file system (inotify misses changes
/// made over NFS and needs a second watch on the directory to see renames), and keep the
/// rotation logic the one the one-shot reader already proves.
public final class LedgerFollower {
    public enum Start: Sendable, Equatable {
        /// Only lines appended after the follower is made.
        case end
        /// Lines from this seq on (0: the whole history), then the new ones.
        case seq(UInt64)
    }

    private let reader: LedgerReader
    private let livePath: String
    private let firstSeq: UInt64
    /// The live file being followed; nil until there is one.
    private var live: OpenLedgerFile?
    /// The highest seq delivered or skipped: a rotated file ending at or below it is read already.
    private var lastSeq: UInt64 = 0

    public init(dataDir: String, start: Start) throws {
        reader = LedgerReader(dataDir: dataDir)
        livePath = dataDir + "/" + LedgerFileName.liveName
        switch start {
        case .seq(let first):
            firstSeq = first
        case .end:
            firstSeq = 0
            live = try OpenLedgerFile(dataDir: dataDir, file: .live)
            if let lastLine = try live?.skipToEnd(), let entry = try? LedgerLine.read(lastLine[...]) {
                lastSeq = entry.seq
            } else {
                // An empty or missing live file: whatever was rotated is history.
                for case .rotated(_, let last) in try reader.files() { lastSeq = max(lastSeq, last) }
            }
        }
    }

    /// Delivers every whole line that is new since the last call (with its entry, nil when the
    /// line is not a ledger object), then returns.
    public func poll(_ body: (LedgerReader.Line, LedgerEntry?) throws -> Void) throws {
        let deliver = { [self] (line: LedgerReader.Line) throws in
            let entry = try? LedgerLine.read(line.bytes)
            if let entry {
                if entry.seq < firstSeq { return }
                lastSeq = max(lastSeq, entry.seq)
            }
            try body(line, entry)
        }
        guard let current = live else {
            live = try reader.readToLive(including: unread, deliver)
            return
        }
        _ = try current.rewindIfCut()
        try current.readToEnd(deliver)
        guard FileIdentity(path: livePath) != current.identity else { return }
        // Renamed by a rotation: nothing more is appended to it, so its tail is final. Then the
        // files rotated after it (several rotations may have passed) and the new live file.
        try current.readToEnd(deliver)
        try current.finish(deliver)
        live = try reader.readToLive(including: unread, deliver)
    }

    private func unread(_ name: LedgerFileName) -> Bool {
        guard case .rotated(_, let last) = name else { return true }
        return last > lastSeq && last >= firstSeq
    }
}
