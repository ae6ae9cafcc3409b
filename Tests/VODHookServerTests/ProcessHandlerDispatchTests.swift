import AsyncHTTPClient
import Foundation
import Testing
import VODHookCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension ProcessTests {
    /// `serve` running `write` handlers from the ledger: files, `handled` and `dead` lines, restarts, kill -9.
    @Suite("handler dispatch in the real binary", .serialized)
    struct ProcessHandlerDispatchTests {
        static let media = "4fefd4f434d07c2005373156a727d707"

        /// A config file with one `write` handler into `dir`.
        static func config(_ sandbox: ProcessSandbox, dir: String, retry: String = "") throws -> String {
            try sandbox.write(
                "vodhook.yaml",
                """
                handlers:
                  - name: save
                    match: { event: VideoAIComplete }
                    write: { dir: \(dir) }
                \(retry.isEmpty ? "" : "    retry: \(retry)")
                """)
        }

        static func resultFile(_ dir: String, job: String) -> String { "\(dir)/\(media)/\(job).AIVideoTag.json" }

        /// The `handled` and `dead` lines of every ledger file, in order.
        static func outcomes(_ dataDir: String) -> [LedgerEntry] {
            let files = LedgerFileName.readingOrder(ProcessLedger.files(dataDir, prefix: "ledger"))
            return files.flatMap { ProcessLedger.entries(dataDir, file: $0.name) }.filter {
                $0.kind == .handled || $0.kind == .dead
            }
        }

        static func handled(_ dataDir: String, seq: UInt64) -> [LedgerEntry] {
            outcomes(dataDir).filter { $0.eventSeq == seq && $0.kind == .handled }
        }

        /// The seqs of the events some handler finished ok.
        static func handledOK(_ dataDir: String) -> Set<UInt64> {
            Set(outcomes(dataDir).filter { $0.result == .ok }.compactMap(\.eventSeq))
        }

        /// A sandbox, a config with a `write` handler into `<sandbox>/results`, and a client.
        static func withWriteHandler(_ body: (ProcessServeSetup, String, String, HTTPClient) async throws -> Void) async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            let dir = sandbox.file("results")
            let config = try config(sandbox, dir: dir)
            try await ProcessHTTP.withClient { client in try await body(setup, dir, config, client) }
        }

        @Test("an event matching a write handler lands in its dir, and a handled ok line names it")
        func writeOK() async throws {
            try await Self.withWriteHandler { setup, dir, config, client in
                let server = try await setup.start(client: client, ["--config", config])
                defer { server.child.forceKill() }
                #expect(server.stderr.contains("handler=save") && server.stderr.contains("handler.open=0"), "\(server.stderr)")
                let job = ProcessEvent.jobId()
                let answer = try await setup.send(client, server, jobId: job)
                let seq = try #require(answer.seq, "\(answer)")
                let done = await ProcessPoll.until(timeout: .seconds(20)) { !Self.handled(setup.dataDir, seq: seq).isEmpty }
                #expect(done, "no handled line\n\(server.stderr)")
                let lines = Self.handled(setup.dataDir, seq: seq)
                #expect(
                    lines.map(\.handler) == ["save"] && lines.map(\.result) == [.ok] && lines.map(\.attempt) == [1], "\(lines)")
                let saved = try Data(contentsOf: URL(fileURLWithPath: Self.resultFile(dir, job: job)))
                #expect(Array(saved) == ProcessEvent.body(jobId: job))
                #expect(try await server.terminate().isCleanExit)
                let verify = try await setup.verify()
                #expect(verify.exit.isCleanExit, "\(verify)")
            }
        }

        @Test(
            "a write that fails is retried with growing attempts, then dead; after the fix and a restart the dead one is not run again and the open one finishes"
        )
        func failThenDeadThenRestart() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            // A file where the directory should be: every mkdir under it fails.
            let blocker = try sandbox.write("blocked", "not a directory")
            let dir = blocker + "/results"
            let config = try Self.config(sandbox, dir: dir, retry: "{ max_attempts: 3, backoff: 1s, max_backoff: 2s }")
            try await ProcessHTTP.withClient { client in
                let server = try await setup.start(client: client, ["--config", config])
                defer { server.child.forceKill() }
                let deadJob = ProcessEvent.jobId("dead")
                let deadSeq = try #require(try await setup.send(client, server, jobId: deadJob).seq)
                let dead = await ProcessPoll.until(timeout: .seconds(30)) {
                    Self.outcomes(setup.dataDir).contains { $0.kind == .dead && $0.eventSeq == deadSeq }
                }
                #expect(dead, "no dead line\n\(server.stderr)")
                let runs = Self.handled(setup.dataDir, seq: deadSeq)
                #expect(runs.map(\.attempt) == [1, 2, 3] && runs.allSatisfy { $0.result == .failed }, "\(runs)")
                #expect(runs.allSatisfy { ($0.reason ?? "").contains("Not a directory") }, "\(runs)")
                let deadLine = Self.outcomes(setup.dataDir).first { $0.kind == .dead }
                #expect(deadLine?.attempts == 3 && deadLine?.handler == "save", "\(String(describing: deadLine))")
                // Logged once the dead line is durable, so it may reach stderr just after the ledger.
                let warned = await ProcessPoll.until(timeout: .seconds(10)) {
                    server.stderr.contains("handler gave an event up after its last retry (dead)")
                }
                #expect(warned, "\(server.stderr)")

                // One more event, failed once and still open when serve stops.
                let openJob = ProcessEvent.jobId("open")
                let openSeq = try #require(try await setup.send(client, server, jobId: openJob).seq)
                let failedOnce = await ProcessPoll.until(timeout: .seconds(20)) {
                    !Self.handled(setup.dataDir, seq: openSeq).isEmpty
                }
                #expect(failedOnce, "\(server.stderr)")
                #expect(try await server.terminate().isCleanExit)
                let before = Self.outcomes(setup.dataDir).count

                // The cause fixed: the open event finishes, the dead one stays dead.
                try FileManager.default.removeItem(atPath: blocker)
                let again = try await setup.start(client: client, ["--config", config])
                defer { again.child.forceKill() }
                #expect(again.stderr.contains("handler.open=1"), "\(again.stderr)")
                let finished = await ProcessPoll.until(timeout: .seconds(20)) {
                    Self.handled(setup.dataDir, seq: openSeq).contains { $0.result == .ok }
                }
                #expect(finished, "\(again.stderr)")
                #expect(FileManager.default.fileExists(atPath: Self.resultFile(dir, job: openJob)))
                #expect(try await again.terminate().isCleanExit)
                let after = Self.outcomes(setup.dataDir)
                #expect(!after.dropFirst(before).contains { $0.eventSeq == deadSeq }, "the dead event ran again: \(after)")
                #expect(!FileManager.default.fileExists(atPath: Self.resultFile(dir, job: deadJob)))
            }
        }

        @Test("kill -9 right after a batch of acknowledged events, then a restart: every one is handled at least once")
        func killNineThenRestart() async throws {
            try await Self.withWriteHandler { setup, dir, config, client in
                let server = try await setup.start(client: client, ["--config", config])
                defer { server.child.forceKill() }
                let jobs = (0..<40).map { ProcessEvent.jobId("k\($0)") }
                let acknowledged = try await withThrowingTaskGroup(of: (String, UInt64?).self) { group in
                    for job in jobs {
                        group.addTask { (job, try await setup.send(client, server, jobId: job).seq) }
                    }
                    var acknowledged: [String: UInt64] = [:]
                    for try await (job, seq) in group { if let seq { acknowledged[job] = seq } }
                    return acknowledged
                }
                await server.kill()
                #expect(acknowledged.count == jobs.count)
                let handledBeforeKill = Set(Self.outcomes(setup.dataDir).compactMap(\.eventSeq)).count

                let again = try await setup.start(client: client, ["--config", config])
                defer { again.child.forceKill() }
                let all = await ProcessPoll.until(timeout: .seconds(60)) {
                    acknowledged.values.allSatisfy(Self.handledOK(setup.dataDir).contains)
                }
                #expect(all, "handled before the kill: \(handledBeforeKill) of \(jobs.count)\n\(again.stderr)")
                for (job, _) in acknowledged {
                    #expect(FileManager.default.fileExists(atPath: Self.resultFile(dir, job: job)), "missing \(job)")
                }
                #expect(try await again.terminate().isCleanExit)
                let verify = try await setup.verify()
                #expect(verify.exit.isCleanExit, "\(verify)")
            }
        }
    }
}
