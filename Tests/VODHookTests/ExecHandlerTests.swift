import Foundation
import Logging
import Testing
import VODHook
import VODHookCore

/// The `exec` action with real programs, written by each test as a script in a temporary directory.
@Suite("Handler exec action", .timeLimit(.minutes(2)))
struct ExecHandlerTests {
    typealias Support = ExecTestSupport

    @Test("exit 0: placeholders filled in argv, the event on stdin, the cwd set, one info line with the output")
    func success() async throws {
        let scratch = try ExecScratch()
        defer { scratch.remove() }
        let program = try scratch.program(
            "notify",
            """
            for a in "$@"; do printf '%s\\n' "$a"; done > args
            cat > stdin
            pwd > cwd
            echo "done with $1"
            echo "a warning" >&2
            """)
        let log = RecordedLog()
        let handler = try Support.handler(
            [program, "--job={job_id}", "{media_id}", "{status}", "{event_type}", "{seq}"], cwd: scratch.root, log: log)
        let event = try Support.event(attempt: 2)
        try await handler.handle(event)

        #expect(
            scratch.read("args") == """
                --job=\(HandlerWriteTests.job)
                \(HandlerWriteTests.media)
                success
                AIVideoTagComplete
                41

                """)
        #expect(scratch.read("stdin").map { Array($0.utf8) } == event.body)
        #expect(scratch.read("cwd") == scratch.root + "\n")
        let records = log.all
        #expect(records.count == 1)
        let line = try #require(records.first)
        #expect(line.level == .info)
        #expect(
            line.metadata["handler"] == "notify" && line.metadata["event.seq"] == "41" && line.metadata["handler.attempt"] == "2")
        #expect(line.metadata["exec.exit"] == "exit 0")
        #expect(line.metadata["exec.stdout"] == #"done with --job\u{3d}\#(HandlerWriteTests.job)\u{a}"#)
        #expect(line.metadata["exec.stderr"] == #"a warning\u{a}"#)
    }

    @Test("exit 1 fails with reason `exit 1`, logged as a warning with stderr")
    func exitOne() async throws {
        let scratch = try ExecScratch()
        defer { scratch.remove() }
        let program = try scratch.program("fail", "echo 'bad input' >&2\nexit 1")
        let log = RecordedLog()
        let handler = try Support.handler([program], log: log)
        let error = await #expect(throws: ExecFailure.self) { try await handler.handle(try Support.event()) }
        #expect(error == .exited(1))
        #expect(error?.description == "exit 1")
        let line = try #require(log.all.first)
        #expect(
            line.level == .warning && line.metadata["error"] == "exit 1" && line.metadata["exec.stderr"] == #"bad input\u{a}"#)
    }

    /// A program that hangs past the timeout with a grandchild holding its stdout; with `ignoresTerm`,
    /// both ignore SIGTERM (`trap ''` is inherited), so only SIGKILL after the grace ends them.
    @Test(
        "a hang past the timeout: the group gets SIGTERM, then SIGKILL if it ignores that; leader and grandchild end",
        arguments: [false, true])
    func timeoutStopsGroup(ignoresTerm: Bool) async throws {
        let scratch = try ExecScratch()
        defer { scratch.remove() }
        let program = try scratch.program(
            "hang",
            """
            \(ignoresTerm ? "trap '' TERM" : "")
            sleep 1000 &
            echo $! > grandchild
            echo $$ > leader
            while :; do wait; done
            """)
        let handler = try Support.handler([program], timeout: .seconds(2), killAfter: .seconds(1), cwd: scratch.root)
        let error = await #expect(throws: ExecFailure.self) { try await handler.handle(try Support.event()) }
        #expect(error == .timedOut(after: .seconds(2), killed: ignoresTerm))
        #expect(error?.description == "killed after timeout 2s (\(ignoresTerm ? "SIGTERM, then SIGKILL" : "SIGTERM"))")
        try Support.expectEnded(scratch, "leader", "grandchild")
    }

    @Test("a cancelled run (serve shutting down): SIGTERM first, the group stopped too, a cancellation and not a failure")
    func cancelled() async throws {
        let scratch = try ExecScratch()
        defer { scratch.remove() }
        let program = try scratch.program(
            "long",
            """
            trap 'echo term > got-term; exit 0' TERM
            sleep 1000 &
            echo $! > grandchild
            echo $$ > leader
            wait
            """)
        let log = RecordedLog()
        let handler = try Support.handler([program], cwd: scratch.root, log: log)
        let event = try Support.event()
        let run = Task { try await handler.handle(event) }
        while scratch.pid("leader") == nil || scratch.pid("grandchild") == nil { try await Task.sleep(for: .milliseconds(20)) }
        run.cancel()
        await #expect(throws: CancellationError.self) { try await run.value }
        #expect(scratch.read("got-term") == "term\n")
        #expect(log.all.map(\.level) == [.notice])
        try Support.expectEnded(scratch, "leader", "grandchild")
    }

    @Test("exit 0 with a grandchild left holding stdout, and stdin never read: ok, returns, and the grandchild is stopped")
    func leftovers() async throws {
        let scratch = try ExecScratch()
        defer { scratch.remove() }
        let program = try scratch.program(
            "daemonish",
            """
            sleep 1000 &
            echo $! > grandchild
            exit 0
            """)
        let handler = try Support.handler([program], cwd: scratch.root)
        var event = try Support.event()
        event.body = [UInt8](repeating: UInt8(ascii: " "), count: 4 << 20)  // far more than a pipe holds
        let report = try await handler.run(event)
        #expect(report.failure == nil && report.termination == .exited(0))
        #expect(report.stoppedLeftovers)
        try Support.expectEnded(scratch, "grandchild")
        try await handler.handle(event)
    }

    @Test("a program that closes stdin unread and exits 0 is ok: the broken pipe is vodhook's to absorb (no SIGPIPE)")
    func stdinClosed() async throws {
        let scratch = try ExecScratch()
        defer { scratch.remove() }
        let program = try scratch.program("deaf", "exec 0<&-\nsleep 0.5\necho fine")
        let handler = try Support.handler([program])
        var event = try Support.event()
        event.body = [UInt8](repeating: UInt8(ascii: " "), count: 4 << 20)
        let report = try await handler.run(event)
        #expect(report.failure == nil && String(decoding: report.stdout.bytes, as: UTF8.self) == "fine\n")
    }

    @Test("200 MB of output, stderr before and after: both read at once, all of it, the last output_cap bytes of each kept")
    func flood() async throws {
        let scratch = try ExecScratch()
        defer { scratch.remove() }
        // Either stream read to its end before the other would leave the program blocked on a full pipe.
        let program = try scratch.program(
            "flood",
            """
            head -c 1000000 /dev/zero >&2
            head -c 200000000 /dev/zero
            printf 'end of stdout'
            head -c 2000000 /dev/zero >&2
            printf 'end of stderr' >&2
            """)
        let log = RecordedLog()
        let handler = try Support.handler([program], outputCap: 4096, log: log)
        let report = try await handler.run(try Support.event())
        #expect(report.failure == nil)
        #expect(report.stdout.total == 200_000_013 && report.stderr.total == 3_000_013)
        #expect(report.stdout.bytes.count == 4096 && report.stderr.bytes.count == 4096)
        #expect(report.stdout.bytes.suffix(13).elementsEqual("end of stdout".utf8))
        #expect(report.stderr.bytes.suffix(13).elementsEqual("end of stderr".utf8))
        try await handler.handle(try Support.event())
        let line = try #require(log.all.first)
        #expect(line.metadata["exec.stdout_bytes"] == "200000013")
        let logged = try #require(line.metadata["exec.stdout"])
        #expect(logged.hasPrefix("…(199995917 bytes before) \\u{0}") && logged.hasSuffix("end of stdout"))
    }

    @Test("a crash fails with the signal")
    func crash() async throws {
        let scratch = try ExecScratch()
        defer { scratch.remove() }
        let program = try scratch.program("crash", "kill -SEGV $$")
        let handler = try Support.handler([program])
        let error = await #expect(throws: ExecFailure.self) { try await handler.handle(try Support.event()) }
        #expect(error == .signaled(11))
        #expect(error?.description == "signal 11")
    }

    @Test("the environment is exactly PATH, VODHOOK_* and what env lists: vodhook's own secrets stay out")
    func environment() async throws {
        var parent = ProcessInfo.processInfo.environment
        parent["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] = "ak-secret-value"
        parent["VODHOOK_CALLBACK_KEYS"] = "callback-key-value"
        parent["PASS_ME"] = "passed"
        let event = try Support.event(attempt: 3)
        let handler = try Support.handler(
            ["/usr/bin/env", "-0"], inherited: ["PASS_ME", "NOT_SET_ANYWHERE"], fixed: ["TOKEN": "fixed"], parent: parent)
        let report = try await handler.run(event)
        let seen = Dictionary(
            report.stdout.bytes.split(separator: 0).map { pair -> (String, String) in
                let text = String(decoding: pair, as: UTF8.self)
                let equals = text.firstIndex(of: "=") ?? text.endIndex
                return (String(text[..<equals]), String(text[equals...].dropFirst()))
            }, uniquingKeysWith: { $1 })
        #expect(
            seen
                == HandlerEnvironment.variables(
                    for: event.entry, handler: "notify", attempt: 3, action: handler.action, parent: parent))
        #expect(seen["PASS_ME"] == "passed" && seen["TOKEN"] == "fixed" && seen["VODHOOK_ATTEMPT"] == "3")
        #expect(seen["VODHOOK_JOB_ID"] == HandlerWriteTests.job && seen["PATH"] == HandlerEnvironment.defaultPath)
        #expect(seen["ALIBABA_CLOUD_ACCESS_KEY_SECRET"] == nil && seen["VODHOOK_CALLBACK_KEYS"] == nil && seen["HOME"] == nil)
        #expect(!String(decoding: report.stdout.bytes, as: UTF8.self).contains("secret-value"))
    }

    @Test("without cwd the program runs in /")
    func defaultDirectory() async throws {
        let report = try await Support.handler(["/bin/pwd"]).run(try Support.event())
        #expect(String(decoding: report.stdout.bytes, as: UTF8.self) == "/\n")
    }

    @Test("a missing program fails without running, naming only the program")
    func missing() async throws {
        let log = RecordedLog()
        let handler = try Support.handler(["/nonexistent/vodhook-test-program", "--token=hidden"], log: log)
        let error = await #expect(throws: ExecFailure.self) { try await handler.handle(try Support.event()) }
        #expect(error?.description == "cannot run /nonexistent/vodhook-test-program: not found or not executable")
        let line = try #require(log.all.first)
        #expect(line.level == .warning && !"\(line.metadata)".contains("hidden"))
        let elsewhere = try Support.handler(["/bin/true"], cwd: "/nonexistent/vodhook-test-dir")
        let noDirectory = await #expect(throws: ExecFailure.self) { try await elsewhere.handle(try Support.event()) }
        #expect(noDirectory?.description == "cannot run /bin/true: cannot change to its working directory")
    }
}
