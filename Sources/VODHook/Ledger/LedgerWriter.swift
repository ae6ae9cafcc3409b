import Dispatch
import Foundation
public import Logging
import Metrics
public import ServiceLifecycle
import Synchronization
import SystemPackage
public import VODHookCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The ledger's only writer: appends lines to `ledger.jsonl` and answers each append once its
/// line is on disk (fdatasync'd).
///
/// Appends from many requests are queued and written by one dedicated thread, one `write` and
/// one `fdatasync` per batch (group commit): every request that arrives while a sync is running
/// rides on the next one. The prototype measured a thread with a semaphore ahead of an actor
/// hopping to a thread pool (perf-notes.md). A failed write or sync fails the whole batch, cuts
/// the file back to its last durable length, retires the batch's seqs (never handed out again)
/// and marks the writer not ready; the next batch, or a probe once a second, tries again. No
/// batch is written while the file's size differs from its durable length.
///
/// As a `Service` it closes on graceful shutdown after writing what was already queued.
public final class LedgerWriter: Service, Sendable {
    /// What became of an append.
    public enum Outcome: Sendable, Equatable {
        /// Written and synced as line `seq`.
        case recorded(seq: UInt64)
        /// The same event (same dedup key, same body) was already recorded as line `seq`:
        /// nothing written. Another body under a recorded key is `recorded`, flagged in its line.
        case duplicate(seq: UInt64)

        public var seq: UInt64 {
            switch self {
            case .recorded(let seq), .duplicate(let seq): seq
            }
        }
    }

    /// How far the ledger is durable: readers of the files (the dispatcher) read no further,
    /// since bytes past it may belong to a batch still being written, or cut after a failure.
    public struct DurableEnd: Sendable, Equatable {
        /// The last seq written or retired.
        public var lastSeq: UInt64
        /// The live file the length is of; a rotation replaces it (its predecessor is durable whole).
        var live: FileIdentity?
        /// Bytes of the live file that are durable.
        public var liveLength: Int64
    }

    /// Told the outcome of one append, on the writer thread (or at once, on the caller's).
    public typealias Completion = @Sendable (Result<Outcome, LedgerWriteError>) -> Void

    private struct Queued {
        let record: LedgerRecord
        let identity: EventIdentity?
        let waiter: Completion
    }

    private struct Shared {
        var queue: [Queued] = []
        /// The events recorded, and those being written with the retries waiting for them.
        var dedup: DedupTable<Queued>
        var stopping = false
        var stopped = false
        var onStopped: [CheckedContinuation<Void, Never>] = []
    }

    /// What only the writer thread touches: moved into the thread's closure, never shared.
    private struct FileState {
        var fd: FileDescriptor
        var durableLength: Int64
        /// The last seq handed out, written or retired by a failed batch.
        var lastSeq: UInt64
        /// The seq of the first line in the live file, for the rotated name.
        var firstSeqInLive: UInt64?
        /// `fd` is not the live file: a rotation renamed it away and could neither create the new
        /// one nor rename it back. Nothing is written until the live file is created.
        var liveMissing = false
        /// A rotation's renames and new file are not yet durable: synced before the next batch is acknowledged.
        var directoryUnsynced = false
        var failing = false
        /// The live file's device and inode, published with its durable length.
        var identity: FileIdentity?
        /// The size of the batch that failed last: the probe must fit that much, not one byte.
        var failedBytes = 0
        /// What the lines written so far say about jobs: each event line's `submission_seq`.
        var index: CorrelationIndex
        /// After a failed rotation, none is tried before this (uptime nanoseconds).
        var rotationRetryAt: UInt64 = 0
        /// The last rotation failed: the next that works says so.
        var rotationFailing = false
        /// One line per ``rotationLogInterval`` (uptime nanoseconds): a rotation failing for hours
        /// must not fill the log.
        var rotationLog = LogBudget(burst: 1, window: Int64(LedgerWriter.rotationLogInterval))
        /// Lines written since the last checkpoint, and when it was taken (uptime nanoseconds).
        var linesSinceCheckpoint = 0
        var checkpointAt: UInt64 = DispatchTime.now().uptimeNanoseconds
        /// A rotation, or a start that read lines: the next batch takes a checkpoint whatever its schedule.
        var checkpointNow = false
    }

    /// A failed rotation is tried again after this long, not after every batch (each try writes
    /// and syncs `ledger.seq`), and logged at most once per ``rotationLogInterval``.
    private static let rotationRetryInterval: UInt64 = 10_000_000_000
    private static let rotationLogInterval: UInt64 = 60_000_000_000

    /// Rotates at `size` bytes from the next batch on: a file already larger rotates then.
    public func setRotateSize(_ size: Int64) {
        rotateLimit.store(size, ordering: .relaxed)
    }

    /// Where the files live.
    public let dataDir: String
    /// Rotate once the live file reaches this many bytes (changed by a reload, see ``setRotateSize(_:)``).
    public var rotateSize: Int64 { rotateLimit.load(ordering: .relaxed) }
    private let rotateLimit: Atomic<Int64>
    private let fileSystem: any LedgerFileSystem
    private let shared: Mutex<Shared>
    private let ready = Atomic<Bool>(true)
    private let wake = DispatchSemaphore(value: 0)
    private let logger: Logger
    private let now: @Sendable () -> Int64
    private let linesCounter = Counter(label: "vodhook_ledger_lines_total")
    private let duplicatesCounter = Counter(label: "vodhook_ledger_duplicates_total")
    private let bodyDiffersCounter = Counter(label: "vodhook_ledger_body_differs_total")
    private let bodyDiffersLog = Mutex(LogBudget(burst: 10, window: 60_000))  // now() is in milliseconds
    private let failuresCounter = Counter(label: "vodhook_ledger_write_failures_total")
    private let rotationFailuresCounter = Counter(label: "vodhook_ledger_rotation_failures_total")
    private var livePath: String { dataDir + "/" + LedgerFileName.liveName }
    private let batchRecorder = Recorder(label: "vodhook_ledger_batch_lines")
    /// Batch metrics, and the latest figures for `/status` and `/metrics`.
    public let telemetry = LedgerTelemetry()
    private let durable: Mutex<DurableEnd>
    private let durableWatchers = Mutex<[@Sendable () -> Void]>([])
    /// Nil when this writer keeps no checkpoints (the commands that read every line anyway).
    private let checkpointer: Checkpointer?
    /// How long dedup keys and final jobs are remembered (ms; see ``RecordedEvents``).
    private let window: Int64
    /// Shards of the dedup keys, and of the jobs, swept per batch: a full round every 128
    /// batches, a few thousand entries a batch at a million (the point of sharding was p99).
    private static let shardsSweptPerBatch = 8
    /// The jobs still pending or unknown, for `jobs --status` and reconcile rounds (``openJobs``).
    private let open: Mutex<OpenJobs>
    /// What resubmit handlers did about failed jobs (``resubmitDone(for:)``); small, changed only
    /// by their own lines.
    private let resubmits: Mutex<ResubmitBook>
    /// Writes each rotated file's job index sidecar, off this thread.
    private let jobIndex: JobIndexBuilder

    /// Opens the data directory for writing: takes its lock, repairs a torn tail, reads every
    /// ledger file to learn the last seq and the events already seen, and starts the writer thread.
    ///
    /// - Parameters:
    ///   - now: wall-clock Unix milliseconds, for each line's `at`.
    ///   - observe: sees every readable line found at start (the start-up read is shared with it).
    public convenience init(
        dataDir: String, rotateSize: Int64 = 256 << 20, logger: Logger,
        now: @escaping @Sendable () -> Int64 = WallClock.milliseconds,
        observe: (LedgerEntry) -> Void = { _ in }
    ) throws(DataDirectoryError) {
        try self.init(
            dataDir: dataDir, rotateSize: rotateSize, logger: logger, now: now, observe: observe, fileSystem: SystemFileSystem())
    }

    /// The same, with the directory-changing calls going through `fileSystem` (tests fail or record them).
    package convenience init(
        dataDir: String, rotateSize: Int64 = 256 << 20, logger: Logger,
        now: @escaping @Sendable () -> Int64 = WallClock.milliseconds,
        observe: (LedgerEntry) -> Void = { _ in }, fileSystem: any LedgerFileSystem
    ) throws(DataDirectoryError) {
        let lock = try Self.lock(dataDir: dataDir, fileSystem: fileSystem)
        try self.init(
            locked: lock, dataDir: dataDir, rotateSize: rotateSize, logger: logger, now: now, observe: observe,
            fileSystem: fileSystem)
    }

    /// Creates the data directory if missing and takes its lock, without reading the ledger:
    /// `serve` holds the lock before it binds (a stale unix socket is only ours to remove then),
    /// and reads the ledger after (``init(locked:dataDir:rotateSize:logger:now:observe:)``).
    public static func lock(dataDir: String) throws(DataDirectoryError) -> DataDirectoryLock {
        try lock(dataDir: dataDir, fileSystem: SystemFileSystem())
    }

    static func lock(dataDir: String, fileSystem: any LedgerFileSystem) throws(DataDirectoryError) -> DataDirectoryLock {
        try DataDirectory.create(dataDir, fileSystem: fileSystem)
        return try DataDirectoryLock(dataDir: dataDir)
    }

    /// Opens the data directory whose lock `lock` is: reads the ledger and starts the writer
    /// thread. The lock is released if this throws, and when the writer closes.
    ///
    /// With `checkpoints`, start-up reads only the lines after the newest valid checkpoint, and
    /// the writer keeps writing them (``Checkpointer``); `observe` then sees only those lines.
    ///
    /// `window` (ms) is how long an event's dedup key, and a final job, are remembered (`dedup_window`).
    public convenience init(
        locked lock: DataDirectoryLock, dataDir: String, rotateSize: Int64 = 256 << 20, logger: Logger,
        now: @escaping @Sendable () -> Int64 = WallClock.milliseconds,
        observe: (LedgerEntry) -> Void = { _ in }, checkpoints: Bool = false, window: Int64 = DedupWindow.defaultMilliseconds
    ) throws(DataDirectoryError) {
        try self.init(
            locked: lock, dataDir: dataDir, rotateSize: rotateSize, logger: logger, now: now, observe: observe,
            checkpoints: checkpoints, window: window, fileSystem: SystemFileSystem())
    }

    package init(
        locked lock: DataDirectoryLock, dataDir: String, rotateSize: Int64, logger: Logger,
        now: @escaping @Sendable () -> Int64, observe: (LedgerEntry) -> Void, checkpoints: Bool = false,
        window: Int64 = DedupWindow.defaultMilliseconds, fileSystem: any LedgerFileSystem
    ) throws(DataDirectoryError) {
        self.dataDir = dataDir
        self.window = window
        self.rotateLimit = Atomic(rotateSize)
        self.fileSystem = fileSystem
        self.jobIndex = JobIndexBuilder(dataDir: dataDir, logger: logger)
        self.logger = logger
        self.now = now
        // A file-size limit must surface as EFBIG from write (503, or "not recorded"), not kill
        // the process by SIGXFSZ: every process that writes the ledger needs this, so it is here.
        signal(SIGXFSZ, SIG_IGN)
        let livePath = dataDir + "/" + LedgerFileName.liveName
        var state: LedgerState
        var checkpointUsed: String?
        let fd: FileDescriptor
        let length: Int64
        do {
            let floor = try SeqFloor.read(dataDir: dataDir)
            let repaired = try TornTailRecovery.repair(path: livePath, stamp: WallClock.stamp(now()), fileSystem: fileSystem)
            (state, checkpointUsed) = try Self.readState(
                dataDir: dataDir, checkpoints: checkpoints, window: window, logger: logger, observe: observe)
            state.forget(now: now())
            state.lastSeq = max(state.lastSeq, floor)
            if let repaired {
                logger.warning(
                    "ledger ended in a torn line; moved it aside",
                    metadata: ["ledger.broken": "\(repaired.brokenPath)", "ledger.broken_bytes": "\(repaired.bytes)"])
                if let seq = repaired.leadingSeq, seq > state.lastSeq {
                    // Retire the torn line's seq durably: the broken copy is not read at the next start.
                    state.lastSeq = seq
                    try SeqFloor.write(seq, dataDir: dataDir, fileSystem: fileSystem)
                }
            }
            let existed = FileIO.exists(livePath)
            fd = try fileSystem.open(livePath, .writeOnly, options: [.append, .create], permissions: FileIO.filePermissions)
            length = try FileIO.size(fd, path: livePath)
            if !existed { try fileSystem.syncDirectory(dataDir) }
        } catch let error as SystemError {
            lock.release()
            throw .system(error)
        } catch let error as DataDirectoryError {
            lock.release()
            throw error
        } catch {
            lock.release()
            throw .corrupt("cannot read the ledger in \(dataDir): \(error)")
        }
        for corrupt in state.corruptLines {
            logger.error(
                "ledger line cannot be read; run `vodhook ledger verify`",
                metadata: ["ledger.file": "\(corrupt.file)", "ledger.line": "\(corrupt.line)", "problem": "\(corrupt.problem)"])
        }
        logger.info(
            "ledger open",
            metadata: [
                "ledger.dir": "\(dataDir)", "ledger.lines": "\(state.lineCount)", "ledger.last_seq": "\(state.lastSeq)",
                "ledger.jobs": "\(state.index.count)", "ledger.events": "\(state.recorded.count)",
                "ledger.checkpoint": "\(checkpointUsed ?? "none")",
            ])
        checkpointer = checkpoints ? Checkpointer(dataDir: dataDir, fileSystem: fileSystem, logger: logger) : nil
        shared = Mutex(Shared(dedup: DedupTable(recorded: state.recorded)))
        telemetry.opened(state)
        let identity = (try? fd.stat()).map(FileIdentity.init)
        durable = Mutex(DurableEnd(lastSeq: state.lastSeq, live: identity, liveLength: length))
        open = Mutex(state.open)
        resubmits = Mutex(state.resubmits)
        // A live file left by an earlier run is named, when rotated, from the first seq it holds.
        var initial = FileState(
            fd: fd, durableLength: length, lastSeq: state.lastSeq,
            firstSeqInLive: length > 0 ? state.liveFirstSeq : nil, index: state.index)
        initial.identity = identity
        // A start that had to read lines writes a checkpoint at once: the next reads none of them.
        if state.lineCount > 0 {
            initial.linesSinceCheckpoint = CheckpointSchedule.everyLines
            initial.checkpointNow = true
        }
        let fileState = initial
        let thread = Thread { [self] in
            self.writerLoop(fileState, release: lock.release)
        }
        thread.name = "vodhook-ledger"
        thread.start()
    }

    /// True while the last write (or probe) succeeded: `/readyz`.
    public var isReady: Bool { ready.load(ordering: .relaxed) }

    /// The jobs still pending or unknown, in ledger order, as of the last durable batch: from
    /// memory, reading no ledger file. Copied out under the lock into storage of their own (a
    /// copy of ``OpenJobs`` handed out would share its storage, and the writer's next batch
    /// would then copy every row on its thread).
    public var openJobs: [JobBook.Row] { open.withLock { $0.all } }

    /// The open jobs in `state` (`pending` or `unknown`) matching the other filters: only those are copied.
    public func openJobs(state: JobState, mediaId: String? = nil, since: Int64? = nil) -> [JobBook.Row] {
        open.withLock { $0.rows(state: state, mediaId: mediaId, since: since) }
    }

    /// Whether the writer's open jobs share their storage with nothing (tests: a read must leave none shared).
    var openJobsStorageIsUnshared: Bool { open.withLock { $0.storageIsUnshared() } }

    /// What a resubmit handler already did about failed job `jobId`, as of the last durable batch.
    public func resubmitDone(for jobId: String) -> ResubmitBook.Done? {
        resubmits.withLock { $0.done(for: jobId) }
    }

    /// How far the files are durable now.
    public var durableEnd: DurableEnd { durable.withLock { $0 } }

    /// Calls `watcher` (on the writer thread: it must be quick) each time ``durableEnd`` moves.
    public func onDurable(_ watcher: @escaping @Sendable () -> Void) {
        durableWatchers.withLock { $0.append(watcher) }
    }

    private func publishDurable(_ file: FileState) {
        durable.withLock { $0 = DurableEnd(lastSeq: file.lastSeq, live: file.identity, liveLength: file.durableLength) }
        for watcher in durableWatchers.withLock({ $0 }) { watcher() }
    }

    /// How many distinct events (dedup keys) are recorded: found at start plus written since.
    public var knownEvents: Int { shared.withLock { $0.dedup.recorded.count } }

    /// Appends a record and returns once it is durable, or at once for an event already recorded.
    /// A duplicate of an event still being written waits for that write and shares its outcome.
    public func append(_ record: LedgerRecord) async throws(LedgerWriteError) -> Outcome {
        let result = await withCheckedContinuation {
            (continuation: CheckedContinuation<Result<Outcome, LedgerWriteError>, Never>) in
            append(record) { continuation.resume(returning: $0) }
        }
        return try result.get()
    }

    /// Appends records together, in order, and returns once all are durable (duplicates at
    /// once, as ``append(_:)``). Those to be written are queued under one lock, so the writer
    /// takes them into one batch: one write, one fdatasync, and all of them durable or none.
    public func append(_ records: [LedgerRecord]) async throws(LedgerWriteError) -> [Outcome] {
        guard records.count > 1 else { return try records.isEmpty ? [] : [await append(records[0])] }
        let results = await withCheckedContinuation {
            (continuation: CheckedContinuation<[Result<Outcome, LedgerWriteError>], Never>) in
            let group = GroupOutcomes(count: records.count) { continuation.resume(returning: $0) }
            enqueue(records.enumerated().map { index, record in (record, { group.set(index, $0) }) })
        }
        return try results.map { result throws(LedgerWriteError) in try result.get() }
    }

    /// The same append for callers that are not in an async context (the callback channel
    /// handler, on its event loop): `completion` runs once, on the writer thread when the line
    /// is durable or failed, or on the caller's thread for an event already recorded. It must
    /// be quick: the next batch waits for it.
    public func append(_ record: LedgerRecord, completion: @escaping Completion) {
        enqueue([(record, completion)])
    }

    /// Queues records under one lock (so one batch takes them all) and settles at once those
    /// that cannot be queued: a writer closing, or an event already recorded.
    private func enqueue(_ items: [(record: LedgerRecord, completion: Completion)]) {
        // Hashed before the lock: the event loops and the writer contend for it.
        let queued = items.map { Queued(record: $0.record, identity: $0.record.identity, waiter: $0.completion) }
        let horizon = now() - window
        let (immediate, wrote) = shared.withLock { shared in
            // An event past its window is new again: the horizon moves now, the sweep with the batches.
            shared.dedup.forget(before: horizon, shards: 0)
            var immediate: [(Completion, Result<Outcome, LedgerWriteError>)] = []
            var wrote = false
            for item in queued { wrote = Self.admit(item, into: &shared, immediate: &immediate) || wrote }
            return (immediate, wrote)
        }
        if wrote { wake.signal() }
        settle(immediate)
    }

    /// Queues one item unless the writer is closing or dedup settles or holds it; true if queued.
    /// Another body under a recorded key is queued flagged with the seq of the key's first line.
    private static func admit(
        _ item: Queued, into shared: inout Shared, immediate: inout [(Completion, Result<Outcome, LedgerWriteError>)]
    ) -> Bool {
        if shared.stopping {
            immediate.append((item.waiter, .failure(.closed)))
            return false
        }
        guard let identity = item.identity else {
            shared.queue.append(item)
            return true
        }
        switch shared.dedup.admit(identity, item) {
        case .duplicate(let seq):
            immediate.append((item.waiter, .success(.duplicate(seq: seq))))
            return false
        case .held:
            return false
        case .write(let duplicateOf):
            let record = duplicateOf.map { item.record.flagged(duplicateOf: $0) } ?? item.record
            shared.queue.append(Queued(record: record, identity: identity, waiter: item.waiter))
            return true
        }
    }

    private func settle(_ results: [(Completion, Result<Outcome, LedgerWriteError>)]) {
        for (completion, result) in results {
            if case .success(.duplicate) = result { duplicatesCounter.increment() }
            completion(result)
        }
    }

    /// Counts and logs (a few lines a minute at most) each line that repeats a recorded key with
    /// another body: a forged body, or VOD's genuine event after one.
    private func noteDifferingBodies(_ batch: [Queued], _ seqs: [UInt64]) {
        for (item, seq) in zip(batch, seqs) {
            guard let first = item.record.duplicateOf, case .event(let event) = item.record else { continue }
            bodyDiffersCounter.increment()
            let (log, unlogged) = bodyDiffersLog.withLock { $0.take(now: now()) }
            guard log else { continue }
            var metadata: Logger.Metadata = [
                "ledger.seq": "\(seq)", "ledger.duplicate_of": "\(first)",
                "event.type": "\(event.envelope.eventType)", "event.job_id": "\(event.envelope.jobId ?? "-")",
            ]
            if unlogged > 0 { metadata["body_differs.unlogged"] = "\(unlogged)" }
            logger.warning(
                "an event repeated a recorded key with another body; recorded it, flagged body_differs", metadata: metadata)
        }
    }

    /// Graceful shutdown: stop taking appends, write what is queued, close the file.
    public func run() async {
        try? await gracefulShutdown()
        await close()
    }

    /// Stops taking appends, writes what is queued, closes the file and releases the lock.
    public func close() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let alreadyStopped = shared.withLock { shared in
                shared.stopping = true
                if shared.stopped { return true }
                shared.onStopped.append(done)
                return false
            }
            if alreadyStopped { done.resume() } else { wake.signal() }
        }
    }

    // MARK: - The writer thread

    /// `release` gives up the data directory's lock once the file is closed, before `close()`
    /// returns: whoever awaited it may open the directory again at once.
    private func writerLoop(_ initial: FileState, release: () -> Void) {
        var file = initial
        checkpointIfDue(&file)
        while true {
            let timedOut: Bool
            if file.failing {
                timedOut = wake.wait(timeout: .now() + .seconds(1)) == .timedOut
            } else {
                wake.wait()
                timedOut = false
            }
            let (batch, stopping) = shared.withLock { shared in
                let batch = shared.queue
                shared.queue.removeAll(keepingCapacity: true)
                return (batch, shared.stopping)
            }
            if !batch.isEmpty {
                commit(batch, &file)
            } else if timedOut, file.failing {
                probe(&file)
            }
            // Appends are refused once stopping is set, so an empty queue then means nothing is left.
            if stopping, shared.withLock({ $0.queue.isEmpty }) { break }
        }
        // A clean shutdown leaves a checkpoint of everything: the next start reads no line.
        // One still being written is finished first: the process may exit once this returns.
        if let checkpointer { checkpointer.finish(file.linesSinceCheckpoint > 0 && !file.failing ? snapshot(file) : nil) }
        FileIO.close(file.fd)
        release()
        let waiting = shared.withLock { shared in
            shared.stopped = true
            return shared.onStopped
        }
        for done in waiting { done.resume() }
    }

    private func commit(_ batch: [Queued], _ file: inout FileState) {
        let at = now()
        file.index.forget(before: at - window, shards: Self.shardsSweptPerBatch)
        var bytes: [UInt8] = []
        var seq = file.lastSeq
        var seqs: [UInt64] = []
        var links: [UInt64?] = []
        seqs.reserveCapacity(batch.count)
        links.reserveCapacity(batch.count)
        // Submissions earlier in this batch, for an event that follows them in it; the index
        // itself changes only once the batch is durable.
        var batchJobs: [String: UInt64] = [:]
        for item in batch {
            seq += 1
            seqs.append(seq)
            var submissionSeq: UInt64?
            switch item.record {
            case .event(let event):
                let envelope = event.envelope
                submissionSeq =
                    envelope.jobId.flatMap { batchJobs[$0] }
                    ?? file.index.submission(forEventType: envelope.eventType, jobId: envelope.jobId, mediaId: envelope.mediaId)
            case .submitted(let submission):
                if let jobId = submission.jobId, submission.outcome == .accepted { batchJobs[jobId] = seq }
            case .handled, .dead, .replay, .givenUp:
                break  // linked to their event by its seq, not to a submission
            }
            LedgerLine.append(seq: seq, at: at, record: item.record, submissionSeq: submissionSeq, to: &bytes)
            links.append(submissionSeq)
        }
        do {
            try prepare(&file)
            try FileIO.writeAll(file.fd, bytes)
            let syncStart = DispatchTime.now().uptimeNanoseconds
            try FileIO.dataSync(file.fd)
            telemetry.synced(nanoseconds: DispatchTime.now().uptimeNanoseconds - syncStart)
            try syncDirectoryIfNeeded(&file)
        } catch {
            file.failedBytes = bytes.count
            fail(batch, retiring: seq, error, &file)
            return
        }
        if file.failing {
            logger.notice("ledger writable again")
            file.failing = false
            ready.store(true, ordering: .relaxed)
        }
        if file.firstSeqInLive == nil { file.firstSeqInLive = seqs.first }
        file.lastSeq = seq
        file.durableLength += Int64(bytes.count)
        // Each event's job as the index sees it once the event is in: a pending one pins its key.
        let jobs = open.withLock { open in
            zip(batch, zip(seqs, links)).map { item, position in
                let (seq, link) = position
                if OpenJobs.concerns(item.record) {
                    open.absorb(LedgerEntry(seq: seq, at: at, record: item.record, submissionSeq: link), index: file.index)
                }
                file.index.absorb(item.record, seq: seq, at: at, submissionSeq: link)
                guard case .event(let event) = item.record, event.duplicateOf == nil else { return RecordedEvents.JobLink?.none }
                return file.index.link(jobId: event.envelope.jobId)
            }
        }
        for item in batch where ResubmitBook.concerns(item.record) { resubmits.withLock { $0.absorb(item.record) } }
        publishDurable(file)
        linesCounter.increment(by: batch.count)
        batchRecorder.record(batch.count)
        telemetry.committed(batch.lazy.map(\.record), bytes: bytes.count, at: at, lastSeq: seq, index: file.index)
        let (duplicates, again, wrote) = shared.withLock { shared in
            var duplicates: [(Completion, Result<Outcome, LedgerWriteError>)] = []
            var again: [(Completion, Result<Outcome, LedgerWriteError>)] = []
            var wrote = false
            shared.dedup.forget(before: at - window, shards: Self.shardsSweptPerBatch)
            for (item, (seq, job)) in zip(batch, zip(seqs, jobs)) {
                guard let identity = item.identity else { continue }
                let settled = shared.dedup.recorded(identity, seq: seq, at: at, job: job, duplicateOf: item.record.duplicateOf)
                duplicates += settled.retries.map { ($0.waiter, .success(.duplicate(seq: seq))) }
                // Other bodies held for this key's first line: now it has a seq to name.
                for held in settled.again { wrote = Self.admit(held, into: &shared, immediate: &again) || wrote }
            }
            return (duplicates, again, wrote)
        }
        for (item, seq) in zip(batch, seqs) { item.waiter(.success(.recorded(seq: seq))) }
        settle(duplicates)
        settle(again)
        if wrote { wake.signal() }
        noteDifferingBodies(batch, seqs)
        file.linesSinceCheckpoint += batch.count
        if file.durableLength >= rotateSize { rotate(&file) }
        checkpointIfDue(&file)
    }

    /// Hands a snapshot to the checkpointer when ``CheckpointSchedule`` says so, and after a
    /// rotation or a start that read lines (``FileState/checkpointNow``).
    private func checkpointIfDue(_ file: inout FileState) {
        guard let checkpointer, file.linesSinceCheckpoint > 0, !file.failing else { return }
        let clock = DispatchTime.now().uptimeNanoseconds
        guard
            file.checkpointNow
                || CheckpointSchedule.isDue(
                    lines: file.linesSinceCheckpoint, elapsed: clock - file.checkpointAt,
                    entries: file.index.count + knownEvents)
        else { return }
        if checkpointer.start(snapshot(file)) {
            file.linesSinceCheckpoint = 0
            file.checkpointAt = clock
            file.checkpointNow = false
        }
    }

    /// Everything the lines up to `file.lastSeq` say, as copy-on-write copies: O(1) here.
    private func snapshot(_ file: FileState) -> Checkpoint {
        let recorded = shared.withLock { $0.dedup.recorded }
        let resume = file.firstSeqInLive.map { Checkpoint.Resume(fileFirstSeq: $0, offset: file.durableLength) }
        return Checkpoint(
            lastSeq: file.lastSeq, resume: resume, recorded: recorded, index: file.index, open: open.withLock { $0 },
            resubmits: resubmits.withLock { $0 })
    }

    /// The state start-up needs: from the newest valid checkpoint and the lines after it, or, with
    /// none usable (each problem logged, never fatal), from every line.
    private static func readState(
        dataDir: String, checkpoints: Bool, window: Int64, logger: Logger, observe: (LedgerEntry) -> Void
    ) throws -> (LedgerState, String?) {
        let reader = LedgerReader(dataDir: dataDir)
        guard checkpoints else { return (try LedgerState.scan(reader, window: window, observe: observe), nil) }
        let found = CheckpointStore.newest(dataDir: dataDir)
        for rejected in found.rejected {
            logger.warning(
                "checkpoint not used; reading further back",
                metadata: [
                    "checkpoint.file": "\(rejected.name)", "problem": "\(rejected.problem)",
                ])
        }
        if let (name, checkpoint) = found.checkpoint {
            do {
                return (try LedgerState.scan(after: checkpoint, reader, window: window), name)
            } catch let error as CheckpointError {
                logger.warning(
                    "checkpoint does not match the ledger files; reading them all",
                    metadata: [
                        "checkpoint.file": "\(name)", "problem": "\(error)",
                    ])
            }
        } else if found.rejected.isEmpty {
            logger.info("no checkpoint; reading every ledger line")
        }
        return (try LedgerState.scan(reader, window: window, observe: observe), nil)
    }

    private func fail(_ batch: [Queued], retiring lastSeq: UInt64, _ error: LedgerWriteError, _ file: inout FileState) {
        failuresCounter.increment()
        // Cut back whatever part of the batch reached the file: none of it was acknowledged,
        // VOD will retry it, and a half line must not sit in front of the next good one. A cut
        // that fails is made before the next batch (`prepare`).
        let fd = file.fd
        let durableLength = file.durableLength
        let cut: Result<Void, LedgerWriteError> =
            file.liveMissing
            ? .success(()) : Result { () throws(LedgerWriteError) in try fileSystem.truncate(fd, to: durableLength) }
        // Its seqs may have been seen (`tail -F`) before the cut: retire them, in ledger.seq too,
        // so not even a restart before the next good batch hands them out again.
        file.lastSeq = lastSeq
        let floor = Result { () throws(SystemError) in try SeqFloor.write(lastSeq, dataDir: dataDir, fileSystem: fileSystem) }
        if !file.failing {
            logger.error(
                "ledger write failed; answering 503 until it works again",
                metadata: [
                    "error": "\(error)", "ledger.truncate": "\(cut.isSuccess ? "ok" : "failed")",
                    "ledger.retired_through": "\(lastSeq)", "ledger.seq_floor": "\(floor.isSuccess ? "ok" : "failed")",
                ])
        }
        file.failing = true
        ready.store(false, ordering: .relaxed)
        let waiting = shared.withLock { shared in
            batch.flatMap { item in
                item.identity.map { shared.dedup.failed($0, duplicateOf: item.record.duplicateOf) } ?? []
            }
        }
        for item in batch { item.waiter(.failure(error)) }
        for held in waiting { held.waiter(.failure(error)) }
    }

    /// While failing and idle: as many bytes as the failed batch had (spaces, no newline) written
    /// past the durable end, synced and cut again. It exercises the same file, limits and device
    /// the failed append met, so ready means that batch would fit now; a crash between write and
    /// cut leaves a torn tail of spaces, which start-up moves aside like any other.
    private func probe(_ file: inout FileState) {
        do {
            try prepare(&file)
            try FileIO.writeAll(file.fd, [UInt8](repeating: 0x20, count: max(file.failedBytes, 1)))
            try FileIO.dataSync(file.fd)
            try fileSystem.truncate(file.fd, to: file.durableLength)
            try FileIO.dataSync(file.fd)
            try syncDirectoryIfNeeded(&file)
        } catch {
            if !file.liveMissing { _ = try? fileSystem.truncate(file.fd, to: file.durableLength) }
            return
        }
        logger.notice("ledger writable again")
        file.failing = false
        ready.store(true, ordering: .relaxed)
    }

    /// Makes the file fit for a batch: the live file under its name (created if a rotation left
    /// none), ending exactly at its durable length. Bytes past it were never acknowledged (a
    /// failed batch whose cut failed too) and are cut first; a file shorter than it lost
    /// acknowledged lines to someone else, and nothing is written after that gap.
    private func prepare(_ file: inout FileState) throws(LedgerWriteError) {
        if file.liveMissing { try openLive(&file) }
        let size: Int64
        do { size = try FileIO.size(file.fd, path: livePath) } catch { throw LedgerWriteError(error) }
        if size > file.durableLength { try fileSystem.truncate(file.fd, to: file.durableLength) }
        if size < file.durableLength { throw .io(operation: "fstat (file shorter than its durable length)", errno: EIO) }
    }

    /// Creates the new live file after a rotation and moves to it, closing the rotated one.
    /// Exclusive: a `ledger.jsonl` that appeared meanwhile is not ours to cut to zero.
    private func openLive(_ file: inout FileState) throws(LedgerWriteError) {
        let fd: FileDescriptor
        do {
            fd = try fileSystem.open(
                livePath, .writeOnly, options: [.append, .create, .exclusiveCreate], permissions: FileIO.filePermissions)
        } catch {
            throw LedgerWriteError(error)
        }
        FileIO.close(file.fd)
        file.fd = fd
        file.durableLength = 0
        file.firstSeqInLive = nil
        file.liveMissing = false
        file.directoryUnsynced = true
        file.identity = (try? fd.stat()).map(FileIdentity.init)
        publishDurable(file)
    }

    private func syncDirectoryIfNeeded(_ file: inout FileState) throws(LedgerWriteError) {
        guard file.directoryUnsynced else { return }
        do { try fileSystem.syncDirectory(dataDir) } catch { throw LedgerWriteError(error) }
        file.directoryUnsynced = false
    }

    /// Renames the full live file to `ledger-<first>-<last>.jsonl` (the seqs it holds) and starts a
    /// new one. A failure before the rename leaves the current file in use; one after it renames
    /// the file back, or, failing that, fails appends (503) until the new live file is created, so
    /// no line is ever appended under the rotated name. A failed rotation is tried again after
    /// ``rotationRetryInterval``.
    private func rotate(_ file: inout FileState) {
        let clock = DispatchTime.now().uptimeNanoseconds
        guard clock >= file.rotationRetryAt else { return }
        let first = file.firstSeqInLive ?? file.lastSeq
        let rotatedPath = dataDir + "/" + LedgerFileName.rotated(first: first, last: file.lastSeq).name
        do {
            // The floor first: if the rotated files are later archived elsewhere, seq still never goes back.
            try SeqFloor.write(file.lastSeq, dataDir: dataDir, fileSystem: fileSystem)
            try fileSystem.rename(livePath, to: rotatedPath)
        } catch {
            rotationFailed(error, "still appending to ledger.jsonl", at: clock, &file)
            return
        }
        do {
            try openLive(&file)
        } catch {
            do {
                try fileSystem.rename(rotatedPath, to: livePath)
                rotationFailed(error, "renamed back; still appending to ledger.jsonl", at: clock, &file)
            } catch let renameBack {
                file.liveMissing = true
                file.failing = true
                file.failedBytes = 1
                ready.store(false, ordering: .relaxed)
                rotationFailed(renameBack, "no ledger.jsonl: answering 503 until it can be created", at: clock, &file)
            }
            return
        }
        jobIndex.rotated(.rotated(first: first, last: file.lastSeq))
        do {
            try syncDirectoryIfNeeded(&file)
        } catch {
            rotationFailed(error, "rotated; the directory is synced before the next append is answered", at: clock, &file)
            return
        }
        logger.info("ledger rotated", metadata: ["ledger.rotated": "\(rotatedPath)"])
        file.linesSinceCheckpoint = max(file.linesSinceCheckpoint, CheckpointSchedule.everyLines)
        file.checkpointNow = true
        if file.rotationFailing {
            logger.notice("ledger rotation works again")
            file.rotationFailing = false
            file.rotationLog = LogBudget(burst: 1, window: Int64(Self.rotationLogInterval))
        }
    }

    /// Counts a failed rotation, delays the next try, and logs it unless one was logged within
    /// ``rotationLogInterval``.
    private func rotationFailed(_ error: any Error, _ outcome: String, at clock: UInt64, _ file: inout FileState) {
        rotationFailuresCounter.increment()
        file.rotationRetryAt = clock + Self.rotationRetryInterval
        file.rotationFailing = true
        let (log, unlogged) = file.rotationLog.take(now: Int64(clock))
        guard log else { return }
        var metadata: Logger.Metadata = ["error": "\(error)", "ledger.rotation": "\(outcome)"]
        if unlogged > 0 { metadata["ledger.rotation_failures_unlogged"] = "\(unlogged)" }
        logger.error("ledger rotation failed", metadata: metadata)
    }
}

extension Result {
    var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }
}

/// Collects the outcomes of a group of appends, which settle on different threads, and hands
/// them on in order once the last is in.
private final class GroupOutcomes: Sendable {
    private let state: Mutex<(results: [Result<LedgerWriter.Outcome, LedgerWriteError>?], remaining: Int)>
    private let done: @Sendable ([Result<LedgerWriter.Outcome, LedgerWriteError>]) -> Void

    init(count: Int, done: @escaping @Sendable ([Result<LedgerWriter.Outcome, LedgerWriteError>]) -> Void) {
        state = Mutex((Array(repeating: nil, count: count), count))
        self.done = done
    }

    func set(_ index: Int, _ result: Result<LedgerWriter.Outcome, LedgerWriteError>) {
        let finished: [Result<LedgerWriter.Outcome, LedgerWriteError>]? = state.withLock { state in
            state.results[index] = result
            state.remaining -= 1
            return state.remaining == 0 ? state.results.compactMap { $0 } : nil
        }
        if let finished { done(finished) }
    }
}
