import AsyncHTTPClient
import Foundation
import Testing
import VODHookCore

extension ProcessTests {
    /// `serve` running `exec` handlers: programs the tests write, run from the ledger by the real binary.
    @Suite("exec handlers in the real binary", .serialized)
    struct ProcessHandlerExecTests {
        typealias Dispatch = ProcessHandlerDispatchTests

        /// A config with one `exec` handler `run` calling `program {job_id} {seq}`.
        static func config(_ sandbox: ProcessSandbox, program: String, exec: String = "", retry: String) throws -> String {
            try sandbox.write(
                "vodhook.yaml",
                """
                handlers:
                  - name: run
                    match: { event: VideoAIComplete }
                    exec: { argv: ["\(program)", "{job_id}", "{seq}"]\(exec.isEmpty ? "" : ", " + exec) }
                    retry: \(retry)
                """)
        }

        /// An executable `/bin/sh` script in the sandbox; `$OUT` is the directory it writes its effects to.
        static func program(_ sandbox: ProcessSandbox, _ script: String) throws -> (path: String, out: String) {
            let out = sandbox.file("out")
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let path = try sandbox.write("program", "#!/bin/sh\nOUT='\(out)'\n" + script + "\n", mode: 0o755)
            return (path, out)
        }

        /// What a test's exec handler runs in: the usual setup, the config, the program's `$OUT`.
        struct Rig: Sendable {
            let sandbox: ProcessSandbox
            let setup: ProcessServeSetup
            let config: String
            let out: String
            let client: HTTPClient

            func start() async throws -> ProcessServer { try await setup.start(client: client, ["--config", config]) }
        }

        /// A sandbox with `script` as the `run` handler's program, and a serve started on it
        /// (killed after `body` if still running).
        static func withServe(
            _ script: String, exec: String = "", retry: String, _ body: (Rig, ProcessServer) async throws -> Void
        ) async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            let (program, out) = try Self.program(sandbox, script)
            let config = try Self.config(sandbox, program: program, exec: exec, retry: retry)
            try await ProcessHTTP.withClient { client in
                let rig = Rig(sandbox: sandbox, setup: setup, config: config, out: out, client: client)
                let server = try await rig.start()
                defer { server.child.forceKill() }
                try await body(rig, server)
            }
        }

        /// Whether `pid` still runs (a zombie does not).
        static func isRunning(_ pid: Int32) -> Bool {
            guard let line = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let stat = ProcessStat(line: line)
            else { return false }
            return stat.isRunning
        }

        static func dead(_ dataDir: String, seq: UInt64) -> [LedgerEntry] {
            Dispatch.outcomes(dataDir).filter { $0.kind == .dead && $0.eventSeq == seq }
        }

        @Test(
            "exec through serve: success and a flood of output are ok; exit 1 and a crash fail each attempt, then dead; a hang past its timeout is killed with its grandchild"
        )
        func okFailHang() async throws {
            try await Self.withServe(
                """
                case "$1" in
                  ok-*) cat > "$OUT/ok-$2.json" ;;
                  fail-*) echo "$VODHOOK_ATTEMPT" >> "$OUT/fail-$2"; echo "bad input" >&2; exit 1 ;;
                  crash-*) kill -SEGV $$ ;;
                  flood-*) head -c 4000000 /dev/zero | tr '\\0' x; head -c 4000000 /dev/zero >&2; echo "$1" > "$OUT/flood-$2" ;;
                  hang-*) sleep 1000 & echo $! >> "$OUT/hang-$2.pids"; echo $$ >> "$OUT/hang-$2.pids"; while :; do wait; done ;;
                esac
                """, exec: "timeout: 2s, kill_after: 1s", retry: "{ max_attempts: 2, backoff: 1s, max_backoff: 1s }"
            ) { rig, server in
                let setup = rig.setup
                let client = rig.client
                let out = rig.out
                let okJob = ProcessEvent.jobId("ok")
                let failJob = ProcessEvent.jobId("fail")
                let hangJob = ProcessEvent.jobId("hang")
                let okSeq = try #require(try await setup.send(client, server, jobId: okJob).seq)
                let failSeq = try #require(try await setup.send(client, server, jobId: failJob).seq)
                let hangSeq = try #require(try await setup.send(client, server, jobId: hangJob).seq)
                let crashSeq = try #require(try await setup.send(client, server, jobId: ProcessEvent.jobId("crash")).seq)
                let floodSeq = try #require(try await setup.send(client, server, jobId: ProcessEvent.jobId("flood")).seq)

                let settled = await ProcessPoll.until(timeout: .seconds(60)) {
                    !Dispatch.handled(setup.dataDir, seq: okSeq).isEmpty
                        && !Self.dead(setup.dataDir, seq: failSeq).isEmpty && !Self.dead(setup.dataDir, seq: hangSeq).isEmpty
                        && !Self.dead(setup.dataDir, seq: crashSeq).isEmpty
                        && !Dispatch.handled(setup.dataDir, seq: floodSeq).isEmpty
                }
                #expect(settled, "\(Dispatch.outcomes(setup.dataDir))\n\(server.stderr)")

                let ok = Dispatch.handled(setup.dataDir, seq: okSeq)
                #expect(ok.map(\.result) == [.ok] && ok.map(\.handler) == ["run"], "\(ok)")
                let saved = try Data(contentsOf: URL(fileURLWithPath: "\(out)/ok-\(okSeq).json"))
                #expect(Array(saved) == ProcessEvent.body(jobId: okJob), "the program reads the event on its stdin")
                #expect(Self.dead(setup.dataDir, seq: okSeq).isEmpty)

                let failed = Dispatch.handled(setup.dataDir, seq: failSeq)
                #expect(
                    failed.map(\.attempt) == [1, 2] && failed.allSatisfy { $0.result == .failed && $0.reason == "exit 1" },
                    "\(failed)")
                #expect(Self.dead(setup.dataDir, seq: failSeq).map(\.attempts) == [2])
                let attempts = try String(contentsOfFile: "\(out)/fail-\(failSeq)", encoding: .utf8)
                #expect(attempts == "1\n2\n", "each attempt ran the program once")

                let hung = Dispatch.handled(setup.dataDir, seq: hangSeq)
                #expect(hung.map(\.attempt) == [1, 2] && hung.allSatisfy { $0.result == .failed }, "\(hung)")
                #expect(hung.allSatisfy { ($0.reason ?? "").contains("killed after timeout 2s") }, "\(hung)")
                let pids = try String(contentsOfFile: "\(out)/hang-\(hangSeq).pids", encoding: .utf8)
                    .split(separator: "\n").compactMap { Int32($0) }
                #expect(pids.count == 4, "leader and grandchild of each attempt: \(pids)")
                for pid in pids { #expect(!Self.isRunning(pid), "\(pid) still runs") }

                let crashed = Dispatch.handled(setup.dataDir, seq: crashSeq)
                #expect(crashed.map(\.reason) == ["signal 11", "signal 11"], "\(crashed)")
                // Megabytes on stdout and stderr: drained (the program ends), capped in the log.
                #expect(Dispatch.handled(setup.dataDir, seq: floodSeq).map(\.result) == [.ok])
                #expect(FileManager.default.fileExists(atPath: "\(out)/flood-\(floodSeq)"))
                #expect(server.stderr.utf8.count < 1_000_000, "serve logged \(server.stderr.utf8.count) bytes")

                #expect(try await server.terminate().isCleanExit)
                #expect(try await setup.verify().exit.isCleanExit)
            }
        }

        @Test("kill -9 of serve with exec runs in flight, then a restart: every acknowledged event handled ok, none dead")
        func killNineInFlight() async throws {
            try await Self.withServe(
                """
                touch "$OUT/started-$2"
                sleep 1.5
                echo "$1" > "$OUT/marker-$2"
                """, exec: "timeout: 30s, max_concurrent: 3", retry: "{ max_attempts: 3, backoff: 1s, max_backoff: 2s }"
            ) { rig, server in
                let setup = rig.setup
                let client = rig.client
                let out = rig.out
                let jobs = (0..<8).map { ProcessEvent.jobId("k\($0)") }
                var acknowledged: [UInt64: String] = [:]
                for job in jobs {
                    let answer = try await setup.send(client, server, jobId: job)
                    #expect(answer.status == 200, "\(answer)")
                    if let seq = answer.seq { acknowledged[seq] = job }
                }
                #expect(acknowledged.count == jobs.count)
                // Some run has started and not yet finished: kill serve under it.
                let inFlight = await ProcessPoll.until(timeout: .seconds(20), interval: .milliseconds(10)) {
                    acknowledged.keys.contains { FileManager.default.fileExists(atPath: "\(out)/started-\($0)") }
                }
                #expect(inFlight, "\(server.stderr)")
                await server.kill()
                let okBeforeKill = Dispatch.handledOK(setup.dataDir)
                #expect(okBeforeKill.count < acknowledged.count, "the kill came after every run had finished")

                let again = try await rig.start()
                defer { again.child.forceKill() }
                let all = await ProcessPoll.until(timeout: .seconds(60)) {
                    acknowledged.keys.allSatisfy(Dispatch.handledOK(setup.dataDir).contains)
                }
                #expect(all, "ok before the kill: \(okBeforeKill.count) of \(jobs.count)\n\(again.stderr)")
                for (seq, job) in acknowledged {
                    let marker = try? String(contentsOfFile: "\(out)/marker-\(seq)", encoding: .utf8)
                    #expect(marker == job + "\n", "marker of \(seq)")
                }
                #expect(Dispatch.outcomes(setup.dataDir).allSatisfy { $0.kind != .dead }, "\(Dispatch.outcomes(setup.dataDir))")
                #expect(try await again.terminate().isCleanExit)
                #expect(try await setup.verify().exit.isCleanExit)
            }
        }

        @Test(
            "kill -9 of serve leaves its exec program and the program's child running; the next start stops both before the event runs again"
        )
        func leftoversStoppedAtStart() async throws {
            try await Self.withServe(
                """
                if [ -e "$OUT/ran-$2" ]; then echo again > "$OUT/again-$2"; exit 0; fi
                touch "$OUT/ran-$2"
                sleep 600 &
                echo "$$ $!" > "$OUT/pids-$2"
                wait
                """, exec: "timeout: 10m", retry: "{ max_attempts: 3, backoff: 1s, max_backoff: 1s }"
            ) { rig, server in
                let answer = try await rig.setup.send(rig.client, server, jobId: ProcessEvent.jobId("orphan"))
                let seq = try #require(answer.seq, "\(answer)")
                let pidsFile = "\(rig.out)/pids-\(seq)"
                #expect(await ProcessPoll.until(timeout: .seconds(20)) { FileManager.default.fileExists(atPath: pidsFile) })
                await server.kill()
                let pids = try String(contentsOfFile: pidsFile, encoding: .utf8).split(separator: " ")
                    .compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
                #expect(pids.count == 2, "\(pids)")
                #expect(pids.allSatisfy(Self.isRunning), "a kill -9 of serve does not reach the program's own group")

                let again = try await rig.start()
                defer { again.child.forceKill() }
                #expect(
                    await ProcessPoll.until(timeout: .seconds(10)) { !pids.contains(where: Self.isRunning) }, "\(again.stderr)")
                #expect(again.stderr.contains("stopped exec programs a previous serve left running"))
                // At least once: the event runs again, to its end this time.
                #expect(await ProcessPoll.until(timeout: .seconds(20)) { Dispatch.handledOK(rig.setup.dataDir).contains(seq) })
                #expect(FileManager.default.fileExists(atPath: "\(rig.out)/again-\(seq)"))
                #expect(try await again.terminate().isCleanExit)
            }
        }

        @Test("replay --dead while serve runs: once the cause is fixed, the dead event is handled ok by the running server")
        func replayDeadThroughServe() async throws {
            try await Self.withServe(
                """
                [ -f "$OUT/fixed" ] || { echo "not fixed" >&2; exit 3; }
                echo "$1" > "$OUT/done-$2"
                """, retry: "{ max_attempts: 1 }"
            ) { rig, server in
                let sandbox = rig.sandbox
                let setup = rig.setup
                let client = rig.client
                let out = rig.out
                let job = ProcessEvent.jobId("r")
                let seq = try #require(try await setup.send(client, server, jobId: job).seq)
                let dead = await ProcessPoll.until(timeout: .seconds(20)) { !Self.dead(setup.dataDir, seq: seq).isEmpty }
                #expect(dead, "\(server.stderr)")
                let listed = try await sandbox.runVODHook(["dead", "--data-dir", setup.dataDir])
                #expect(listed.stdout.contains(job) && listed.stdout.contains("exit 3"), "\(listed)")

                _ = try sandbox.write("out/fixed", "")
                let replay = try await sandbox.runVODHook(["replay", "--dead", "--data-dir", setup.dataDir])
                #expect(replay.exit.isCleanExit, "\(replay)")
                #expect(replay.stdout.contains("recorded in the running server (pid \(server.pid))"), "\(replay)")
                let handled = await ProcessPoll.until(timeout: .seconds(20)) {
                    Dispatch.handled(setup.dataDir, seq: seq).contains { $0.result == .ok }
                }
                #expect(handled, "\(Dispatch.outcomes(setup.dataDir))\n\(server.stderr)")
                #expect((try? String(contentsOfFile: "\(out)/done-\(seq)", encoding: .utf8)) == job + "\n")
                let none = try await sandbox.runVODHook(["dead", "--data-dir", setup.dataDir])
                #expect(none.stdout.contains("no dead letters"), "\(none)")
                #expect(try await server.terminate().isCleanExit)
            }
        }
    }
}
