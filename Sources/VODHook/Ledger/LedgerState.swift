import SystemPackage
public import VODHookCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

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
    /// What resubmit handlers did about failed jobs (their re-submissions and `given_up` lines).
    public var resubmits = ResubmitBook()
    /// Lines read, and lines that could not be decoded (file name, line number, problem).
    public var lineCount = 0
    /// When the latest event line was written (Unix ms), for `vodhook status`.
    public var lastEventAt: Int64?
    public var corruptLines: [(file: String, line: Int, problem: String)] = []
    /// How long dedup keys and final jobs are remembered (ms): applied as the lines are read, by
    /// each line's `at`, as the writer applied it when it wrote them.
    public var window = DedupWindow.defaultMilliseconds

    public init(window: Int64 = DedupWindow.defaultMilliseconds) {
        self.window = window
    }

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
            // What had left the window when this line was written had left it for the writer too.
            let horizon = entry.at - window
            recorded.forget(before: horizon, shards: lineCount % Self.linesPerShardSwept == 0 ? 1 : 0)
            index.forget(before: horizon, shards: lineCount % Self.linesPerShardSwept == 0 ? 1 : 0)
            open.absorb(entry, index: index)
            index.absorb(entry)
            resubmits.absorb(entry)
            if let key = entry.dedupKey, entry.kind == .event {
                // The body as written; a line without one matches no body, so nothing is dropped.
                let body =
                    entry.source == EventRecord.pollSource
                    ? nil : DedupKey.Digest(of: LedgerLine.eventBody(line.bytes) ?? [])
                let job = entry.duplicateOf == nil ? index.link(jobId: entry.jobId) : nil
                recorded.insert(EventIdentity(key: key.digest, body: body), seq: entry.seq, at: entry.at, job: job)
            }
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

    /// A read sweeps one shard of the dedup keys and of the jobs every this many lines: memory
    /// stays bounded by the window while millions of lines are read (a round of 1,024 shards every 16 k lines).
    static let linesPerShardSwept = 16

    /// Forgets what is older than the window at `now` (Unix ms), in every shard: what start-up
    /// does once the lines are read, so a start from a checkpoint and one from the files agree.
    public mutating func forget(now: Int64) {
        recorded.forget(before: now - window, shards: nil)
        index.forget(before: now - window, shards: nil)
    }

    /// What `checkpoint` holds, before any line after it is read.
    public init(checkpoint: Checkpoint, window: Int64 = DedupWindow.defaultMilliseconds) {
        self.window = window
        lastSeq = checkpoint.lastSeq
        recorded = checkpoint.recorded
        index = checkpoint.index
        open = checkpoint.open
        resubmits = checkpoint.resubmits
    }

    /// Reads the lines after `checkpoint`: rotated files it covers whole are skipped by name, the
    /// file it resumes in is read from its offset, and any other line it covers is passed over.
    /// Throws ``CheckpointError`` when the files do not match it (the caller reads them all).
    public static func scan(
        after checkpoint: Checkpoint, _ reader: LedgerReader, window: Int64 = DedupWindow.defaultMilliseconds
    ) throws -> LedgerState {
        var state = LedgerState(checkpoint: checkpoint, window: window)
        let covered = checkpoint.lastSeq
        for file in try reader.files() {
            var offset: Int64 = 0
            switch file {
            case .rotated(let first, let last):
                if last <= covered { continue }
                if first == checkpoint.resume?.fileFirstSeq { offset = try resumeOffset(checkpoint, reader.dataDir, file) }
            case .live:
                let path = reader.dataDir + "/" + file.name
                if let resume = checkpoint.resume, try firstSeq(path) == resume.fileFirstSeq {
                    offset = try resumeOffset(checkpoint, reader.dataDir, file)
                    if offset > 0 { state.liveFirstSeq = resume.fileFirstSeq }
                }
            }
            try reader.forEachLine(in: file, from: offset) { line in
                if let seq = LedgerLine.leadingSeq(line.bytes), seq <= covered {
                    if line.file == .live, state.liveFirstSeq == nil { state.liveFirstSeq = seq }
                    return
                }
                state.absorb(line)
            }
        }
        return state
    }

    /// The checkpoint's offset in `file`, once checked to be the start of a line within it.
    private static func resumeOffset(_ checkpoint: Checkpoint, _ dataDir: String, _ file: LedgerFileName) throws -> Int64 {
        guard let offset = checkpoint.resume?.offset, offset > 0 else { return 0 }
        let path = dataDir + "/" + file.name
        let fd = try FileIO.open(path, .readOnly)
        defer { FileIO.close(fd) }
        let before = try FileIO.readAt(fd, count: 1, offset: offset - 1, path: path)
        guard before == [0x0A] else { throw CheckpointError.corrupt("its resume point in \(file.name) is not the end of a line") }
        return offset
    }

    /// The seq of a file's first line, nil when it has none.
    private static func firstSeq(_ path: String) throws -> UInt64? {
        let fd: FileDescriptor
        do { fd = try FileIO.open(path, .readOnly) } catch  where error.errno == ENOENT { return nil }
        defer { FileIO.close(fd) }
        return LedgerLine.leadingSeq(try FileIO.readAt(fd, count: 32, offset: 0, path: path))
    }

    /// Reads every ledger file; `observe` sees each readable line's entry, for a caller that
    /// needs more of them than the writer keeps (so the files are read once, not twice).
    public static func scan(
        _ reader: LedgerReader, window: Int64 = DedupWindow.defaultMilliseconds, observe: (LedgerEntry) -> Void = { _ in }
    ) throws -> LedgerState {
        var state = LedgerState(window: window)
        try reader.forEachLine { line in
            if let entry = state.absorb(line) { observe(entry) }
        }
        return state
    }
}
