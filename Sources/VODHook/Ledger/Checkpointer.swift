import Dispatch
import Logging
import Synchronization
import VODHookCore

/// Writes the ledger writer's checkpoints on a thread of its own: the writer hands it a snapshot
/// (copy-on-write copies of its sets, taken between two batches, so no request waits for the
/// encoding, the checksum or the fsync) and goes on.
final class Checkpointer: Sendable {
    /// A checkpoint every this many lines of the live file…
    static let everyLines = 100_000
    /// …or this long after the last one, if any line came since (uptime nanoseconds).
    static let everyNanoseconds: UInt64 = 300_000_000_000

    private let queue = DispatchQueue(label: "vodhook-checkpoint")
    private let busy = Atomic<Bool>(false)
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
        queue.async { [self] in
            write(checkpoint)
            busy.store(false, ordering: .releasing)
        }
        return true
    }

    /// Waits for any being written, then writes `checkpoint` (if any) and returns once it is
    /// durable (shutdown).
    func finish(_ checkpoint: Checkpoint?) {
        queue.sync { if let checkpoint { write(checkpoint) } }
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
