import Foundation
import Logging
import Testing
import VODHook
import VODHookCore

extension ProcessTests {
    /// `vodhook dead`, `vodhook replay` and the handler outcomes of `vodhook job`, on ledgers the
    /// tests write with the library's own writer (the real files serve would have left).
    @Suite("dead letters and replay in the real binary", .serialized)
    struct ProcessReplayTests {
        /// Four events and their handlers' histories:
        /// e1 (job A): save failed twice, then dead ("disk full"); notify ok.
        /// e2 (job B): save dead, then replayed (no longer a dead letter).
        /// e3 (job C): notify dead, then a later run ok (no longer one either).
        /// e4 (job A, a failure): notify dead after 5 attempts ("timed out after 30s").
        struct Scenario {
            let dataDir: String
            let jobA: String
            let jobB: String
            let e: [UInt64]

            static func write(_ sandbox: ProcessSandbox) async throws -> Scenario {
                let dataDir = sandbox.file("data")
                let writer = try LedgerWriter(
                    dataDir: dataDir, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
                func event(_ job: String, status: String = "success") async throws -> UInt64 {
                    let body = ProcessEvent.body(jobId: job, status: status)
                    return try await writer.append(.event(EventRecord(envelope: try EventParser.envelope(of: body), body: body)))
                        .seq
                }
                func run(_ handler: String, _ seq: UInt64, attempt: Int, ok: Bool, reason: String = "exit 1") async throws {
                    _ = try await writer.append(
                        .handled(
                            HandledRecord(
                                handler: handler, eventSeq: seq, attempt: attempt, result: ok ? .ok : .failed, durationMs: 4,
                                reason: ok ? nil : reason)))
                }
                func die(_ handler: String, _ seq: UInt64, attempts: Int, reason: String) async throws {
                    _ = try await writer.append(
                        .dead(DeadRecord(handler: handler, eventSeq: seq, attempts: attempts, reason: reason)))
                }
                let jobA = ProcessEvent.jobId("a")
                let jobB = ProcessEvent.jobId("b")
                let jobC = ProcessEvent.jobId("c")
                let e1 = try await event(jobA)
                let e2 = try await event(jobB)
                let e3 = try await event(jobC)
                let e4 = try await event(jobA, status: "fail")
                try await run("save", e1, attempt: 1, ok: false)
                try await run("save", e1, attempt: 2, ok: false, reason: "disk full")
                try await die("save", e1, attempts: 2, reason: "disk full")
                try await run("notify", e1, attempt: 1, ok: true)
                try await die("save", e2, attempts: 1, reason: "exit 1")
                _ = try await writer.append(.replay(ReplayRecord(handler: "save", eventSeq: e2, jobId: jobB)))
                try await die("notify", e3, attempts: 1, reason: "exit 1")
                try await run("notify", e3, attempt: 1, ok: true)
                try await die("notify", e4, attempts: 5, reason: "timed out after 30s")
                await writer.close()
                return Scenario(dataDir: dataDir, jobA: jobA, jobB: jobB, e: [e1, e2, e3, e4])
            }

            var replays: [LedgerEntry] { ProcessLedger.entries(dataDir).filter { $0.kind == .replay } }
        }

        static func objects(_ text: String) throws -> [[String: Any]] {
            try text.split(separator: "\n").map {
                try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
            }
        }

        @Test("dead lists exactly the dead letters still dead, as a table and as JSON, of one handler with --handler")
        func deadLetters() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let scenario = try await Scenario.write(sandbox)
            let table = try await sandbox.runVODHook(["dead", "--data-dir", scenario.dataDir])
            #expect(table.exit.isCleanExit, "\(table)")
            let rows = table.stdout.split(separator: "\n").filter { $0.hasPrefix("save") || $0.hasPrefix("notify") }
            #expect(rows.count == 2, "\(table)")
            #expect(
                rows.first?.contains("\(scenario.e[0])") == true && rows.first?.contains(scenario.jobA) == true
                    && rows.first?.contains("disk full") == true, "\(table)")
            #expect(rows.last?.hasPrefix("notify") == true && rows.last?.contains("timed out after 30s") == true, "\(table)")
            #expect(table.stdout.contains("2 dead letter(s)"), "\(table)")

            let json = try await sandbox.runVODHook(["dead", "--json", "--data-dir", scenario.dataDir])
            #expect(json.exit.isCleanExit, "\(json)")
            let letters = try Self.objects(json.stdout)
            #expect(
                letters.map { "\($0["handler"] ?? "")@\($0["event_seq"] ?? "")" } == [
                    "save@\(scenario.e[0])", "notify@\(scenario.e[3])",
                ], "\(json)")
            #expect(letters.last?["job_id"] as? String == scenario.jobA && letters.last?["status"] as? String == "fail")
            #expect(
                letters.last?["event_type"] as? String == "AIVideoTagComplete"
                    && letters.last?["media_id"] as? String == "4fefd4f434d07c2005373156a727d707")
            #expect(letters.last?["attempts"] as? Int == 5 && letters.last?["reason"] as? String == "timed out after 30s")
            #expect((letters.last?["at"] as? String)?.hasSuffix("Z") == true)

            let one = try await sandbox.runVODHook(["dead", "--json", "--handler", "save", "--data-dir", scenario.dataDir])
            #expect(try Self.objects(one.stdout).map { $0["event_seq"] as? Int } == [Int(scenario.e[0])], "\(one)")
            let none = try await sandbox.runVODHook(["dead", "--handler", "nobody", "--data-dir", scenario.dataDir])
            #expect(none.exit.isCleanExit && none.stdout.contains("no dead letters of handler nobody"), "\(none)")
        }

        @Test("replay --dry-run writes nothing; replay --dead appends one replay line per dead letter, then there are none")
        func replayDirect() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let scenario = try await Scenario.write(sandbox)
            let before = ProcessLedger.bytes(scenario.dataDir)
            let dry = try await sandbox.runVODHook(["replay", "--dead", "--dry-run", "--data-dir", scenario.dataDir])
            #expect(dry.exit.isCleanExit, "\(dry)")
            #expect(dry.stdout.contains("would replay 2 run(s); nothing written"), "\(dry)")
            #expect(
                dry.stdout.split(separator: "\n").filter { $0.hasPrefix("save") || $0.hasPrefix("notify") }.count == 2, "\(dry)")
            #expect(ProcessLedger.bytes(scenario.dataDir) == before, "a dry run wrote to the ledger")

            let lines = ProcessLedger.entries(scenario.dataDir).count
            let real = try await sandbox.runVODHook(["replay", "--dead", "--data-dir", scenario.dataDir])
            #expect(real.exit.isCleanExit, "\(real)")
            #expect(real.stdout.contains("replayed 2 run(s): recorded in the ledger in \(scenario.dataDir)"), "\(real)")
            let appended = ProcessLedger.entries(scenario.dataDir).dropFirst(lines)
            #expect(
                appended.map { "\($0.kind)/\($0.handler ?? "")@\($0.eventSeq ?? 0)/\($0.jobId ?? "-")" }
                    == ["replay/save@\(scenario.e[0])/\(scenario.jobA)", "replay/notify@\(scenario.e[3])/\(scenario.jobA)"])
            // Appended after everything there was: the old bytes are untouched.
            #expect(Array(ProcessLedger.bytes(scenario.dataDir).prefix(before.count)) == before)

            let dead = try await sandbox.runVODHook(["dead", "--data-dir", scenario.dataDir])
            #expect(dead.stdout.contains("no dead letters"), "\(dead)")
            let again = try await sandbox.runVODHook(["replay", "--dead", "--data-dir", scenario.dataDir])
            #expect(again.exit.isCleanExit && again.stdout.contains("nothing to replay"), "\(again)")
            #expect(scenario.replays.count == 3, "the second replay wrote lines")
            let verify = try await sandbox.runVODHook(["ledger", "verify", "--data-dir", scenario.dataDir])
            #expect(verify.exit.isCleanExit, "\(verify)")
        }

        @Test("replay --dead while serve holds the data directory: the lines go through its control socket")
        func replayThroughServe() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let scenario = try await Scenario.write(sandbox)
            let setup = try ProcessServeSetup(sandbox)
            try await ProcessHTTP.withClient { client in
                let server = try await setup.start(client: client)
                defer { server.child.forceKill() }
                let replay = try await sandbox.runVODHook([
                    "replay", "--dead", "--handler", "notify", "--data-dir", scenario.dataDir,
                ])
                #expect(replay.exit.isCleanExit, "\(replay)")
                #expect(
                    replay.stdout.contains("replayed 1 run(s): recorded in the running server (pid \(server.pid))"), "\(replay)")
                let written = scenario.replays.filter { $0.handler == "notify" }
                #expect(written.map(\.eventSeq) == [scenario.e[3]] && written.first?.jobId == scenario.jobA)
                // The server stays the writer and keeps taking events after the replay lines.
                let answer = try await setup.send(client, server, jobId: ProcessEvent.jobId())
                #expect(answer.status == 200 && (answer.seq ?? 0) > (written.first?.seq ?? .max), "\(answer)")
                let dead = try await sandbox.runVODHook(["dead", "--json", "--data-dir", scenario.dataDir])
                #expect(try Self.objects(dead.stdout).map { $0["handler"] as? String } == ["save"], "\(dead)")
                #expect(try await server.terminate().isCleanExit)
            }
        }

        @Test("job shows each handler's outcome under its event, and --json includes the handler lines")
        func jobOutcomes() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let scenario = try await Scenario.write(sandbox)
            let job = try await sandbox.runVODHook(["job", scenario.jobA, "--data-dir", scenario.dataDir])
            #expect(job.exit.isCleanExit, "\(job)")
            let lines = job.stdout.split(separator: "\n").map(String.init)
            let first = try #require(lines.firstIndex { $0.contains("seq \(scenario.e[0]) ") && $0.contains("event") }, "\(job)")
            #expect(lines[first + 1].contains("handler save: DEAD after 2 attempt(s): disk full"), "\(job)")
            #expect(lines[first + 2].contains("handler notify: ok (1 run)"), "\(job)")
            let last = try #require(lines.firstIndex { $0.contains("seq \(scenario.e[3]) ") && $0.contains("event") }, "\(job)")
            #expect(lines[last + 1].contains("handler notify: DEAD after 5 attempt(s): timed out after 30s"), "\(job)")
            #expect(
                !lines.contains { $0.contains("seq") && $0.contains(" handled") },
                "handler lines are shown under their events\n\(job)")

            let other = try await sandbox.runVODHook(["job", scenario.jobB, "--data-dir", scenario.dataDir])
            #expect(other.stdout.contains("handler save: replayed, waiting to run (0 runs before)"), "\(other)")

            let json = try await sandbox.runVODHook(["job", scenario.jobA, "--json", "--data-dir", scenario.dataDir])
            let kinds = try Self.objects(json.stdout).map { $0["kind"] as? String ?? "?" }
            #expect(kinds == ["event", "event", "handled", "handled", "dead", "handled", "dead"], "\(json)")
        }

        @Test("replay with a config runs its matching handlers on chosen events; bad selectors get clear errors")
        func selectors() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let scenario = try await Scenario.write(sandbox)
            let config = try sandbox.write(
                "vodhook.yaml",
                """
                handlers:
                  - name: save
                    match: { event: VideoAIComplete, status: success }
                    write: { dir: \(sandbox.file("results")) }
                  - name: notify
                    match: { event: AIVideoTagComplete }
                    write: { dir: \(sandbox.file("notes")) }
                """)
            let byJob = try await sandbox.runVODHook(
                ["replay", "--job", scenario.jobA, "--config", config, "--dry-run", "--data-dir", scenario.dataDir])
            #expect(byJob.exit.isCleanExit, "\(byJob)")
            let rows = byJob.stdout.split(separator: "\n").filter { $0.hasPrefix("save") || $0.hasPrefix("notify") }
            // e1 (success): both handlers; e4 (fail): notify only.
            #expect(
                rows.map { $0.split(separator: " ").prefix(2).joined(separator: "@") }
                    == ["save@\(scenario.e[0])", "notify@\(scenario.e[0])", "notify@\(scenario.e[3])"], "\(byJob)")

            let lines = ProcessLedger.entries(scenario.dataDir).count
            let bySeq = try await sandbox.runVODHook(
                [
                    "replay", "--seq", "\(scenario.e[1])-\(scenario.e[2])", "--handler", "save", "--config", config, "--data-dir",
                    scenario.dataDir,
                ])
            #expect(bySeq.exit.isCleanExit && bySeq.stdout.contains("replayed 2 run(s)"), "\(bySeq)")
            #expect(
                ProcessLedger.entries(scenario.dataDir).dropFirst(lines).map {
                    "\($0.kind)/\($0.handler ?? "")@\($0.eventSeq ?? 0)"
                }
                    == ["replay/save@\(scenario.e[1])", "replay/save@\(scenario.e[2])"])

            let refusals: [([String], String)] = [
                (["replay"], "say what to replay"),
                (["replay", "--seq", "9-3", "--handler", "save"], "--seq: a seq, a range A-B"),
                (["replay", "--seq", "x", "--dead"], "--seq: a seq, a range A-B"),
                (["replay", "--seq", "1-"], "--config F or --handler H"),
                (["replay", "--type", ",", "--dead"], "--type: event types"),
                (["replay", "--job", "", "--dead"], "--job: empty"),
                (
                    ["replay", "--seq", "1-", "--handler", "nope", "--config", config],
                    "--handler nope: \(config) has no handler of that name (it has: save, notify)"
                ),
                (["replay", "--dead", "--config", sandbox.file("missing.yaml")], "missing.yaml"),
            ]
            let before = ProcessLedger.bytes(scenario.dataDir)
            for (arguments, message) in refusals {
                let refused = try await sandbox.runVODHook(arguments + ["--data-dir", scenario.dataDir])
                #expect(!refused.exit.isCleanExit && refused.stderr.contains(message), "\(arguments)\n\(refused)")
            }
            #expect(ProcessLedger.bytes(scenario.dataDir) == before, "a refused replay wrote to the ledger")
            let mistyped = sandbox.file("dta")
            let nowhere = try await sandbox.runVODHook(["replay", "--dead", "--data-dir", mistyped])
            #expect(nowhere.exit.status == 1 && nowhere.stderr.contains("no data directory at \(mistyped)"), "\(nowhere)")
            #expect(!FileManager.default.fileExists(atPath: mistyped), "replay made a data directory")
        }
    }
}
