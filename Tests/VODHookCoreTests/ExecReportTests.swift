import Testing
import VODHookCore

@Suite("exec reports: output tails, failures, /proc stat lines")
struct ExecReportTests {
    @Test("the tail keeps the last cap bytes whatever the chunking, and counts all")
    func tail() {
        let data = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        for chunk in [1, 7, 100, 999, 1000, 5000, 10_000] {
            var tail = OutputTail(cap: 1000)
            var offset = 0
            while offset < data.count {
                tail.append(data[offset..<min(offset + chunk, data.count)])
                offset += chunk
            }
            #expect(Array(tail.bytes) == Array(data.suffix(1000)), "chunk \(chunk)")
            #expect(tail.total == 10_000 && tail.dropped == 9000)
        }
        var none = OutputTail(cap: 0)
        none.append([1, 2, 3])
        #expect(none.bytes.isEmpty && none.total == 3)
        var short = OutputTail(cap: 10)
        short.append(Array("a=\"b\"\n".utf8))
        #expect(short.logText == #"a\u{3d}\"b\"\u{a}"#)
        short.append(Array("0123456789".utf8))
        #expect(short.logText == "…(6 bytes before) 0123456789")
    }

    @Test("exit 0 in time is success; anything else names why")
    func failures() {
        let empty = OutputTail(cap: 1)
        var report = ExecReport(termination: .exited(0), stdout: empty, stderr: empty)
        #expect(report.failure == nil && report.ending == "exit 0")
        report.termination = .exited(2)
        #expect(report.failure == .exited(2) && report.failure?.description == "exit 2")
        report.termination = .signaled(9)
        #expect(report.failure?.description == "signal 9")
        report.timeout = .init(after: .seconds(30), killed: true)
        #expect(report.failure?.description == "killed after timeout 30s (SIGTERM, then SIGKILL)")
        report.termination = .exited(0)
        report.timeout = .init(after: .milliseconds(1500), killed: false)
        #expect(report.failure?.description == "killed after timeout 1500ms (SIGTERM)")
        #expect(ExecFailure.couldNotStart(program: "/x", reason: "not found").description == "cannot run /x: not found")
    }

    @Test("a stat line's state and process group, even with spaces and parentheses in the command name")
    func stat() {
        let stat = ProcessStat(line: "4242 (my (odd) prog) S 1 4240 4240 0 -1 4194560 120 0 0 0")
        #expect(stat?.state == "S" && stat?.processGroup == 4240 && stat?.isRunning == true)
        #expect(ProcessStat(line: "7 (sleep) Z 1 7 7 0")?.isRunning == false)
        #expect(ProcessStat(line: "garbage") == nil && ProcessStat(line: "1 (x) S 1") == nil)
    }
}
