import Dispatch
import Foundation
import Logging
import Synchronization
import VODHookCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Writes the ledger writer's checkpoints on a thread of their own: the writer hands it a
/// snapshot (copy-on-write copies of its sets, taken between two batches, so no request waits
/// for the encoding, the checksum or the fsync) and goes on.
///
/// That thread runs at a lower CPU priority (``niceness``): on a small machine the encoding of
/// millions of entries otherwise takes a core from the event loops and the writer, and every
/// request waits longer (bench/growth). A checkpoint that takes longer only delays the next.
final class Checkpointer: Sendable {
    /// How much nicer than the process the thread that encodes and writes a checkpoint is.
    static let niceness: Int32 = 10

    private let busy = Atomic<Bool>(false)
    private let writing = DispatchGroup()
    private let dataDir: String
    private let fileSystem: any LedgerFileSystem
    private let logger: Logger

    init(dataDir: String, fileSystem: any LedgerFileSystem, logger: Logger) {
        self.dataDir = dataDir
        self.fileSystem = fileSystem
        self.logger = logger
    }

    /// Starts writing `checkpoint` unless one is still being written (then false: the writer
    /// tries again after its next batch).
    func start(_ checkpoint: Checkpoint) -> Bool {
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return false }
        writing.enter()
        // A thread per checkpoint (minutes apart): its nice value stays with it, never with a
        // pooled thread that runs other work afterwards. On Linux it applies to the calling thread.
        let thread = Thread { [self] in
            let which = __priority_which_t(PRIO_PROCESS.rawValue)
            errno = 0
            let current = getpriority(which, 0)
            _ = setpriority(which, 0, min((errno == 0 ? current : 0) + Self.niceness, 19))
            write(checkpoint)
            busy.store(false, ordering: .releasing)
            writing.leave()
        }
        thread.name = "vodhook-checkpoint"
        thread.start()
        return true
    }

    /// Waits for any being written, then writes `checkpoint` (if any) and returns once it is
    /// durable (shutdown).
    func finish(_ checkpoint: Checkpoint?) {
        writing.wait()
        if let checkpoint { write(checkpoint) }
    }

    private func write(_ checkpoint: Checkpoint) {
        let started = DispatchTime.now().uptimeNanoseconds
        do {
            try CheckpointStore.write(checkpoint, dataDir: dataDir, fileSystem: fileSystem)
            logger.info(
                "checkpoint written",
                metadata: [
                    "checkpoint.seq": "\(checkpoint.lastSeq)", "checkpoint.events": "\(checkpoint.recorded.count)",
                    "checkpoint.jobs": "\(checkpoint.index.count)",
                    "checkpoint.ms": "\((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000)",
                ])
        } catch {
            // Not fatal: the ledger is whole; the next start reads more of it.
            logger.warning("checkpoint not written", metadata: ["checkpoint.seq": "\(checkpoint.lastSeq)", "error": "\(error)"])
        }
    }
}
