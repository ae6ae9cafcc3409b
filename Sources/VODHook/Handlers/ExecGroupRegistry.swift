import Foundation
import Logging
import VODHookCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The process groups of `exec` runs in flight, one empty file each in `<data-dir>/run/exec/`
/// named `<group id>.<leader's start time>`. A kill -9 of serve leaves its programs running (each
/// leads a group of its own, which nothing else stops); the next start stops what is left
/// before the dispatcher runs the same events again, so an orphan never runs beside its rerun.
///
/// Only serve, holding the data directory's lock, uses it, so every file there is its own. No
/// fsync: a machine that crashed took the processes with it.
public struct ExecGroupRegistry: Sendable {
    public let directory: String
    private let parent: String

    public init(dataDir: String) {
        parent = dataDir + "/run"
        directory = parent + "/exec"
    }

    /// Notes the group `leader` leads; a failure only loses the reaping of this one group.
    func started(_ leader: pid_t) {
        _ = mkdir(parent, 0o750)
        _ = mkdir(directory, 0o750)
        let start = Self.stat(leader)?.startTime ?? 0
        let fd = open(path(leader, start), O_WRONLY | O_CREAT | O_CLOEXEC, 0o640)
        if fd >= 0 { close(fd) }
    }

    /// The group has no member left.
    func ended(_ leader: pid_t) {
        for name in names() where name.hasPrefix("\(leader).") { unlink(directory + "/" + name) }
    }

    /// SIGKILLs every group a previous serve left running, forgets every file, and returns the
    /// ids of the groups it stopped. A leader alive with another start time is a reused pid, left
    /// alone; a group whose leader is gone but whose members live is ours still (Linux does not
    /// hand out an id while a group holds it).
    public func stopLeftovers() -> [Int32] {
        var stopped: [Int32] = []
        for name in names() {
            defer { unlink(directory + "/" + name) }
            let parts = name.split(separator: ".")
            guard parts.count == 2, let id = pid_t(parts[0]), id > 1, let start = UInt64(parts[1]) else { continue }
            let ours: Bool
            if let leader = Self.stat(id), leader.isRunning {
                ours = leader.processGroup == id && leader.startTime == start
            } else {
                ours = ExecProcessGroup(id: id).hasRunningMembers
            }
            if ours {
                ExecProcessGroup(id: id).send(SIGKILL)
                stopped.append(id)
            }
        }
        return stopped
    }

    private func path(_ leader: pid_t, _ start: UInt64) -> String { directory + "/\(leader).\(start)" }

    private func names() -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    }

    private static func stat(_ pid: pid_t) -> ProcessStat? {
        guard let line = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return nil }
        return ProcessStat(line: line)
    }
}
