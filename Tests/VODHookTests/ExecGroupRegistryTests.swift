import Foundation
import Testing
import VODHook
import VODHookCore

/// What the next start does with the files a kill -9 of serve left in `run/exec/`.
@Suite("exec leftovers at start")
struct ExecGroupRegistryTests {
    static func stat(_ pid: Int32) -> ProcessStat? {
        (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)).flatMap(ProcessStat.init(line:))
    }

    @Test("a leftover group is killed; a reused pid (another start time) and an unreadable file are left alone and forgotten")
    func leftovers() throws {
        let dir = TemporaryDataDir()
        try FileManager.default.createDirectory(atPath: dir.path, withIntermediateDirectories: true)
        let registry = ExecGroupRegistry(dataDir: dir.path)
        #expect(registry.stopLeftovers().isEmpty, "a first start: nothing there, the directory made")
        // A program leading a group of its own, as exec runs do (perl is in Debian's base system).
        let orphan = Process()
        orphan.executableURL = URL(fileURLWithPath: "/usr/bin/perl")
        orphan.arguments = ["-e", "setpgrp(0, 0); sleep 30"]
        try orphan.run()
        defer { if orphan.isRunning { orphan.terminate() } }
        let pid = orphan.processIdentifier
        var leader: ProcessStat?
        for _ in 0..<200 {
            leader = Self.stat(pid)
            if leader?.processGroup == pid { break }
            usleep(10_000)
        }
        let start = try #require(leader?.startTime)
        #expect(leader?.processGroup == pid)
        let me = getpid()
        let myStart = try #require(Self.stat(me)?.startTime)
        try "\(start)\n".write(toFile: registry.directory + "/\(pid)", atomically: false, encoding: .utf8)
        try "\(myStart + 1)\n".write(toFile: registry.directory + "/\(me)", atomically: false, encoding: .utf8)
        try "not a start time".write(toFile: registry.directory + "/12345", atomically: false, encoding: .utf8)

        #expect(registry.stopLeftovers() == [pid])
        orphan.waitUntilExit()
        #expect(orphan.terminationReason == .uncaughtSignal && orphan.terminationStatus == SIGKILL)
        #expect(try FileManager.default.contentsOfDirectory(atPath: registry.directory).isEmpty)
    }
}
