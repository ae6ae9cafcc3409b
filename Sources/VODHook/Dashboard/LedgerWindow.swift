public import VODHookCore

/// Where a reader that wants only recent lines starts: at the first line of the newest file
/// that began at or before the instant, found by each file's first line (a few kilobytes read
/// per file, whatever the history's length).
public enum LedgerWindow {
    /// The seq to read from so that every line at or after `instant` (Unix ms) is read; 0 when
    /// the oldest file already began after it (read everything).
    public static func startSeq(dataDir: String, notBefore instant: Int64) throws -> UInt64 {
        var start: UInt64 = 0
        for file in try LedgerReader(dataDir: dataDir).files() {
            guard let first = try firstEntry(dataDir: dataDir, file: file) else { continue }
            guard first.at <= instant else { break }
            start = first.seq
        }
        return start
    }

    /// The file's first line, nil when it has none (or it cannot be read: no shortcut then).
    /// A few kilobytes: the cursor grows its read only for a longer line.
    static func firstEntry(dataDir: String, file: LedgerFileName) throws -> LedgerEntry? {
        guard let line = try LedgerCursor(dataDir: dataDir, file: file, chunkSize: 4096)?.peek() else { return nil }
        return try? LedgerLine.read(line)
    }
}
