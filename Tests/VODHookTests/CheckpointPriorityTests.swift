import Synchronization
import Testing
import VODHook
import VODHookCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The checkpointer's thread must not take a core from the event loops and the writer while it
/// encodes millions of entries: it runs at a lower CPU priority (bench/growth shows what it saves).
@Suite("Checkpoint priority")
struct CheckpointPriorityTests {
    @Test("a checkpoint taken while serving is written by a thread of lower priority than the writer's")
    func lowerPriority() async throws {
        let dir = TemporaryDataDir()
        let files = FaultyFileSystem()
        // The nice value of the thread that renames each checkpoint into place; fails nothing.
        let nices = Mutex<[Int32]>([])
        files.fail { call, _ in
            if case .rename(_, let to) = call, to.contains("/" + CheckpointStore.directoryName + "/") {
                errno = 0
                let nice = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
                nices.withLock { $0.append(nice) }
            }
            return false
        }
        let writer = try LedgerWriter(
            locked: LedgerWriter.lock(dataDir: dir.path), dataDir: dir.path, rotateSize: 2_000, logger: LedgerFixtures.logger,
            now: WallClock.milliseconds, observe: { _ in }, checkpoints: true, fileSystem: files)
        // A rotation takes a checkpoint on the checkpointer's thread.
        try await CheckpointTests.history(writer, jobs: 0..<20)
        await writer.close()  // waits for it; the one of the clean shutdown is written by the writer itself
        let own = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        let seen = nices.withLock { $0 }
        #expect(seen.first == min(own + 10, 19), "checkpoints renamed at nice \(seen), the writer at \(own)")
    }
}
