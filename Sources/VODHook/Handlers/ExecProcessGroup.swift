import VODHookCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The process group an `exec` handler's program leads (its id is the program's pid), and so
/// everything the program starts that does not leave the group on purpose.
///
/// Linux keeps a group's id reserved while any member lives, so signalling `-id` after the
/// leader was reaped reaches only what it left behind; an empty group answers ESRCH.
struct ExecProcessGroup: Sendable {
    let id: pid_t

    /// How often ``stop(grace:)`` looks whether all have gone.
    static let pollInterval = Duration.milliseconds(25)

    /// Whether a member has not ended yet. Zombies do not count: they no longer run, hold no pipe
    /// open, and an orphan's zombie may wait long for a parent (init in a container) to reap it.
    var hasRunningMembers: Bool {
        guard kill(-id, 0) == 0 || errno == EPERM else { return false }
        #if os(Linux)
        return Self.runningMembersOnLinux(of: id)
        #else
        return true
        #endif
    }

    func send(_ signal: Int32) {
        _ = kill(-id, signal)
    }

    /// SIGTERM to every member (and SIGCONT, so a stopped one sees it), then SIGKILL to the group
    /// if a member still runs after `grace`; returns whether SIGKILL was sent. Runs to its end
    /// even when the caller is cancelled: stopping half-way would leave the group running.
    func stop(grace: Duration) async -> Bool {
        await Task {
            send(SIGTERM)
            send(SIGCONT)
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: grace)
            while clock.now < deadline {
                guard hasRunningMembers else { return false }
                try? await Task.sleep(for: Self.pollInterval)
            }
            guard hasRunningMembers else { return false }
            send(SIGKILL)
            return true
        }.value
    }

    #if os(Linux)
    /// Scans `/proc` for a running process in group `id`.
    private static func runningMembersOnLinux(of id: pid_t) -> Bool {
        guard let proc = opendir("/proc") else { return true }
        defer { closedir(proc) }
        while let entry = readdir(proc) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let first = name.utf8.first, (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(first) else { continue }
            if let stat = readStat("/proc/\(name)/stat"), stat.processGroup == id, stat.isRunning { return true }
        }
        return false
    }

    private static func readStat(_ path: String) -> ProcessStat? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }  // gone since readdir
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        return ProcessStat(line: String(decoding: buffer[..<count], as: UTF8.self))
    }
    #endif
}
