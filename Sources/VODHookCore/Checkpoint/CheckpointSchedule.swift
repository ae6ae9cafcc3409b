/// When the ledger writer takes its next checkpoint (besides at each rotation, after a start
/// that read lines, and at a clean shutdown, which always take one).
///
/// A checkpoint costs a pass over everything it holds, on the checkpointer's thread, and while
/// it is written the writer copies each shard of its sets that it changes (copy-on-write). Taken
/// every ``everyLines`` lines whatever the state's size, a server ingesting at full rate with
/// millions of keys in its window checkpointed without pause: a core busy encoding, the disk
/// busy syncing, and the writer's sets held twice (bench/growth: 520 bytes per event). So the
/// interval grows with the state: at most ``entriesPerLine`` entries are encoded per line
/// written, and a start after a crash reads at most that many lines per entry it loads.
public enum CheckpointSchedule {
    /// A checkpoint every this many lines of the live file, at least…
    public static let everyLines = 100_000
    /// …and at least one line per this many dedup keys and jobs held…
    public static let entriesPerLine = 2
    /// …or this long after the last one, if any line came since (uptime nanoseconds).
    public static let everyNanoseconds: UInt64 = 300_000_000_000

    /// Whether a checkpoint is due `lines` lines and `elapsed` nanoseconds after the last one,
    /// holding `entries` dedup keys and jobs (only asked for once `lines` reaches ``everyLines``).
    public static func isDue(lines: Int, elapsed: UInt64, entries: @autoclosure () -> Int) -> Bool {
        guard lines > 0 else { return false }
        if elapsed >= everyNanoseconds { return true }
        return lines >= everyLines && lines >= entries() / entriesPerLine
    }
}
