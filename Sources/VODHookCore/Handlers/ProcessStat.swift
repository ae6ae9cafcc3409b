/// The fields of a Linux `/proc/<pid>/stat` line that tell whether a process still runs in a
/// given process group.
public struct ProcessStat: Sendable, Hashable {
    /// `R`, `S`, `D`, `Z` (zombie: dead, waiting for its parent to reap it), …
    public var state: Character
    public var processGroup: Int32
    /// When the process started, in clock ticks since boot: with the pid, it names one process
    /// (a pid is reused, the pair is not).
    public var startTime: UInt64?

    /// A zombie has ended: a signal does nothing to it, and it holds no pipe open.
    public var isRunning: Bool { state != "Z" && state != "X" }

    /// Parses `pid (comm) state ppid pgrp …`. The command name may hold spaces and parentheses,
    /// so the fields are counted from the last `)`.
    public init?(line: String) {
        guard let close = line.lastIndex(of: ")") else { return nil }
        let fields = line[line.index(after: close)...].split(separator: " ")
        guard fields.count >= 3, fields[0].count == 1, let state = fields[0].first,
            let group = Int32(fields[2])
        else { return nil }
        self.state = state
        self.processGroup = group
        // Field 22 of the line; the 20th after the command name.
        startTime = fields.count > 19 ? UInt64(fields[19]) : nil
    }
}
