import Foundation
import Logging
import VODHookCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The process groups of `exec` runs in flight, one file each in `<data-dir>/run/exec/`, named by
/// the group id and holding the leader's start time. A kill -9 of serve leaves its programs running (each
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
        let start = Self.stat(leader)?.startTime ?? 0
        var fd = open(path(leader), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
        if fd < 0, errno == ENOENT {  // removed since serve started
            makeDirectory()
            fd = open(path(leader), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
        }
        guard fd >= 0 else { return }
        let text = Array("\(start)\n".utf8)
        _ = text.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    /// The group has no member left.
    func ended(_ leader: pid_t) {
        unlink(path(leader))
    }

    /// SIGKILLs every group a previous serve left running, forgets every file, and returns the
    /// ids of the groups it stopped; then makes the directory ready for this serve's runs. A
    /// leader alive with another start time is a reused pid, left alone; a group whose leader is
    /// gone but whose members live is ours still (Linux does not hand out an id while a group
    /// holds it).
    public func stopLeftovers() -> [Int32] {
        var stopped: [Int32] = []
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names {
            defer { unlink(directory + "/" + name) }
            let recorded = (try? String(contentsOfFile: directory + "/" + name, encoding: .utf8)).flatMap {
                UInt64($0.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            guard let id = pid_t(name), id > 1, let start = recorded else { continue }
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
        makeDirectory()
        return stopped
    }

    private func makeDirectory() {
        _ = mkdir(parent, 0o750)
        _ = mkdir(directory, 0o750)
    }

    private func path(_ leader: pid_t) -> String { directory + "/\(leader)" }

    private static func stat(_ pid: pid_t) -> ProcessStat? {
        guard let line = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return nil }
        return ProcessStat(line: line)
    }
}
