#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Dispatch
import Foundation
public import Logging
import Metrics
public import ServiceLifecycle
import Synchronization
public import VODHookCore

/// The ledger's only writer: appends lines to `ledger.jsonl` and answers each append once its
/// line is on disk (fdatasync'd).
///
/// Appends from many requests are queued and written by one dedicated thread, one `write` and
/// one `fdatasync` per batch (group commit): every request that arrives while a sync is running
/// rides on the next one. The prototype measured a thread with a semaphore ahead of an actor
/// hopping to a thread pool (perf-notes.md). A failed write or sync fails the whole batch, cuts
/// the file back to its last durable length and marks the writer not ready; the next batch, or
/// a probe once a second, tries again.
///
/// As a `Service` it closes on graceful shutdown after writing what was already queued.
public final class LedgerWriter: Service, Sendable {
    /// What became of an append.
    public enum Outcome: Sendable, Equatable {
        /// Written and synced as line `seq`.
        case recorded(seq: UInt64)
        /// The same event (same dedup key) was already recorded as line `seq`: nothing written.
        case duplicate(seq: UInt64)

        public var seq: UInt64 {
            switch self {
            case .recorded(let seq), .duplicate(let seq): seq
            }
        }
    }

    /// Told the outcome of one append, on the writer thread (or at once, on the caller's).
    public typealias Completion = @Sendable (Result<Outcome, LedgerWriteError>) -> Void

    private struct Queued {
        let record: LedgerRecord
        let digest: DedupKey.Digest?
        let waiter: Completion
    }

    private struct Shared {
        var queue: [Queued] = []
        /// Keys queued or being written, with the duplicates waiting for their outcome.
        var unsettled: [DedupKey.Digest: [Completion]] = [:]
        var seen: [DedupKey.Digest: UInt64]
        var stopping = false
        var stopped = false
        var onStopped: [CheckedContinuation<Void, Never>] = []
    }

    /// What only the writer thread touches: moved into the thread's closure, never shared.
    private struct FileState {
        var fd: Int32
        var durableLength: Int64
        var lastSeq: UInt64
        /// The seq of the first line in the live file, for the rotated name.
        var firstSeqInLive: UInt64?
        var failing = false
        /// The size of the batch that failed last: the probe must fit that much, not one byte.
        var failedBytes = 0
        /// What the lines written so far say about jobs: each event line's `submission_seq`.
        var index: CorrelationIndex
    }

    /// Where the files live.
    public let dataDir: String
    /// Rotate once the live file reaches this many bytes.
    public let rotateSize: Int64
    private let shared: Mutex<Shared>
    private let ready = Atomic<Bool>(true)
    private let wake = DispatchSemaphore(value: 0)
    private let logger: Logger
    private let now: @Sendable () -> Int64
    private let linesCounter = Counter(label: "vodhook_ledger_lines_total")
    private let duplicatesCounter = Counter(label: "vodhook_ledger_duplicates_total")
    private let failuresCounter = Counter(label: "vodhook_ledger_write_failures_total")
    private let batchRecorder = Recorder(label: "vodhook_ledger_batch_lines")

    /// Opens the data directory for writing: takes its lock, repairs a torn tail, reads every
    /// ledger file to learn the last seq and the events already seen, and starts the writer thread.
    ///
    /// - Parameters:
    ///   - now: wall-clock Unix milliseconds, for each line's `at`.
    ///   - observe: sees every readable line found at start (the start-up read is shared with it).
    public init(
        dataDir: String, rotateSize: Int64 = 256 << 20, logger: Logger,
        now: @escaping @Sendable () -> Int64 = WallClock.milliseconds,
        observe: (LedgerEntry) -> Void = { _ in }
    ) throws(DataDirectoryError) {
        self.dataDir = dataDir
        self.rotateSize = rotateSize
        self.logger = logger
        self.now = now
        // A file-size limit must surface as EFBIG from write (503, or "not recorded"), not kill
        // the process by SIGXFSZ: every process that writes the ledger needs this, so it is here.
        signal(SIGXFSZ, SIG_IGN)
        try DataDirectory.create(dataDir)
        let lock = try DataDirectoryLock(dataDir: dataDir)
        let livePath = dataDir + "/" + LedgerFileName.liveName
        var state: LedgerState
        let fd: Int32
        let length: Int64
        do {
            let repaired = try TornTailRecovery.repair(path: livePath, stamp: WallClock.stamp(now()))
            state = try LedgerState.scan(LedgerReader(dataDir: dataDir), observe: observe)
            if let repaired {
                logger.warning(
                    "ledger ended in a torn line; moved it aside",
                    metadata: ["ledger.broken": "\(repaired.brokenPath)", "ledger.broken_bytes": "\(repaired.bytes)"])
                if let seq = repaired.leadingSeq, seq > state.lastSeq {
                    // Retire the torn line's seq durably: the broken copy is not read at the next start.
                    state.lastSeq = seq
                    try SeqFloor.write(seq, dataDir: dataDir)
                }
            }
            state.lastSeq = max(state.lastSeq, SeqFloor.read(dataDir: dataDir))
            let existed = FileIO.exists(livePath)
            fd = try FileIO.open(livePath, O_WRONLY | O_APPEND | O_CREAT, mode: 0o640)
            length = try FileIO.size(fd, path: livePath)
            if !existed { try FileIO.syncDirectory(dataDir) }
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
            metadata: ["ledger.dir": "\(dataDir)", "ledger.lines": "\(state.lineCount)", "ledger.last_seq": "\(state.lastSeq)",
                       "ledger.jobs": "\(state.index.count)"])
        shared = Mutex(Shared(seen: state.seen))
        let fileState = FileState(
            fd: fd, durableLength: length, lastSeq: state.lastSeq,
            firstSeqInLive: length > 0 ? nil : state.lastSeq + 1, index: state.index)
        let thread = Thread { [self] in
            self.writerLoop(fileState)
            lock.release()
        }
        thread.name = "vodhook-ledger"
        thread.start()
    }

    /// True while the last write (or probe) succeeded: `/readyz`.
    public var isReady: Bool { ready.load(ordering: .relaxed) }

    /// How many distinct events (dedup keys) are recorded: found at start plus written since.
    public var knownEvents: Int { shared.withLock { $0.seen.count } }

    /// Appends a record and returns once it is durable, or at once for an event already recorded.
    /// A duplicate of an event still being written waits for that write and shares its outcome.
    public func append(_ record: LedgerRecord) async throws(LedgerWriteError) -> Outcome {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<Outcome, LedgerWriteError>, Never>) in
            append(record) { continuation.resume(returning: $0) }
        }
        return try result.get()
    }

    /// Appends records together, in order, and returns once all are durable (duplicates at
    /// once, as ``append(_:)``). Those to be written are queued under one lock, so the writer
    /// takes them into one batch: one write, one fdatasync, and all of them durable or none.
    public func append(_ records: [LedgerRecord]) async throws(LedgerWriteError) -> [Outcome] {
        guard records.count > 1 else { return try records.isEmpty ? [] : [await append(records[0])] }
        let results = await withCheckedContinuation { (continuation: CheckedContinuation<[Result<Outcome, LedgerWriteError>], Never>) in
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
        var immediate: [(Completion, Result<Outcome, LedgerWriteError>)] = []
        var queued = false
        // Hashed before the lock: the event loops and the writer contend for it.
        let digests = items.map { $0.record.dedupKey?.digest }
        shared.withLock { shared in
            for ((record, completion), digest) in zip(items, digests) {
                if shared.stopping {
                    immediate.append((completion, .failure(.closed)))
                    continue
                }
                if let digest {
                    if let seq = shared.seen[digest] {
                        immediate.append((completion, .success(.duplicate(seq: seq))))
                        continue
                    }
                    if shared.unsettled[digest] != nil {
                        shared.unsettled[digest]?.append(completion)
                        continue
                    }
                    shared.unsettled[digest] = []
                }
                shared.queue.append(Queued(record: record, digest: digest, waiter: completion))
                queued = true
            }
        }
        if queued { wake.signal() }
        for (completion, result) in immediate {
            if case .success = result { duplicatesCounter.increment() }
            completion(result)
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

    private func writerLoop(_ initial: FileState) {
        var file = initial
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
        Glibc.close(file.fd)
        let waiting = shared.withLock { shared in
            shared.stopped = true
            return shared.onStopped
        }
        for done in waiting { done.resume() }
    }

    private func commit(_ batch: [Queued], _ file: inout FileState) {
        let at = now()
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
                submissionSeq = envelope.jobId.flatMap { batchJobs[$0] }
                    ?? file.index.submission(forEventType: envelope.eventType, jobId: envelope.jobId, mediaId: envelope.mediaId)
            case .submitted(let submission):
                if let jobId = submission.jobId, submission.outcome == .accepted { batchJobs[jobId] = seq }
            case .handled, .dead:
                break  // linked to their event by its seq, not to a submission
            }
            LedgerLine.append(seq: seq, at: at, record: item.record, submissionSeq: submissionSeq, to: &bytes)
            links.append(submissionSeq)
        }
        do {
            try FileIO.writeAll(file.fd, bytes)
            try FileIO.dataSync(file.fd)
        } catch {
            file.failedBytes = bytes.count
            fail(batch, error, &file)
            return
        }
        if file.failing {
            logger.notice("ledger writable again")
            file.failing = false
            ready.store(true, ordering: .relaxed)
        }
        if file.firstSeqInLive == nil { file.firstSeqInLive = file.lastSeq + 1 }
        file.lastSeq = seq
        file.durableLength += Int64(bytes.count)
        for (item, (seq, link)) in zip(batch, zip(seqs, links)) { file.index.absorb(item.record, seq: seq, submissionSeq: link) }
        linesCounter.increment(by: batch.count)
        batchRecorder.record(batch.count)
        let duplicates = shared.withLock { shared in
            var duplicates: [(Completion, UInt64)] = []
            for (item, seq) in zip(batch, seqs) {
                guard let digest = item.digest else { continue }
                shared.seen[digest] = seq
                for waiter in shared.unsettled.removeValue(forKey: digest) ?? [] { duplicates.append((waiter, seq)) }
            }
            return duplicates
        }
        for (item, seq) in zip(batch, seqs) { item.waiter(.success(.recorded(seq: seq))) }
        if !duplicates.isEmpty { duplicatesCounter.increment(by: duplicates.count) }
        for (waiter, seq) in duplicates { waiter(.success(.duplicate(seq: seq))) }
        if file.durableLength >= rotateSize { rotate(&file) }
    }

    private func fail(_ batch: [Queued], _ error: LedgerWriteError, _ file: inout FileState) {
        failuresCounter.increment()
        // Cut back whatever part of the batch reached the file: none of it was acknowledged,
        // VOD will retry it, and a half line must not sit in front of the next good one.
        let cut = Result { () throws(LedgerWriteError) in try FileIO.truncate(file.fd, to: file.durableLength) }
        if !file.failing {
            logger.error(
                "ledger write failed; answering 503 until it works again",
                metadata: ["error": "\(error)", "ledger.truncate": "\(cut.isSuccess ? "ok" : "failed")"])
        }
        file.failing = true
        ready.store(false, ordering: .relaxed)
        let duplicates = shared.withLock { shared in
            batch.compactMap { $0.digest }.flatMap { shared.unsettled.removeValue(forKey: $0) ?? [] }
        }
        for item in batch { item.waiter(.failure(error)) }
        for waiter in duplicates { waiter(.failure(error)) }
    }

    /// While failing and idle: as many bytes as the failed batch had (spaces, no newline) written
    /// past the durable end, synced and cut again. It exercises the same file, limits and device
    /// the failed append met, so ready means that batch would fit now; a crash between write and
    /// cut leaves a torn tail of spaces, which start-up moves aside like any other.
    private func probe(_ file: inout FileState) {
        do {
            try FileIO.writeAll(file.fd, [UInt8](repeating: 0x20, count: max(file.failedBytes, 1)))
            try FileIO.dataSync(file.fd)
            try FileIO.truncate(file.fd, to: file.durableLength)
            try FileIO.dataSync(file.fd)
        } catch {
            _ = try? FileIO.truncate(file.fd, to: file.durableLength)
            return
        }
        logger.notice("ledger writable again")
        file.failing = false
        ready.store(true, ordering: .relaxed)
    }

    /// Renames the full live file to `ledger-<first>-<last>.jsonl` and starts a new one. A failure
    /// leaves the current file in use (logged); rotation is tried again after the next batch.
    private func rotate(_ file: inout FileState) {
        let first = file.firstSeqInLive ?? file.lastSeq
        let livePath = dataDir + "/" + LedgerFileName.liveName
        let rotatedPath = dataDir + "/" + LedgerFileName.rotated(first: first, last: file.lastSeq).name
        do {
            // The floor first: if the rotated files are later archived elsewhere, seq still never goes back.
            try SeqFloor.write(file.lastSeq, dataDir: dataDir)
            guard rename(livePath, rotatedPath) == 0 else {
                throw SystemError("rename", path: livePath, errno: errno)
            }
            let fd = try FileIO.open(livePath, O_WRONLY | O_APPEND | O_CREAT, mode: 0o640)
            try FileIO.syncDirectory(dataDir)
            Glibc.close(file.fd)
            file.fd = fd
            file.durableLength = 0
            file.firstSeqInLive = nil
            logger.info("ledger rotated", metadata: ["ledger.rotated": "\(rotatedPath)"])
        } catch {
            logger.error("ledger rotation failed; still appending to the current file", metadata: ["error": "\(error)"])
        }
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
