import AsyncHTTPClient
import Foundation
import Testing
import VODHook
import VODHookCore

extension ProcessTests {
    /// The dashboard's dead letters from the dispatcher's `checkpoints/dead-letters.json` and the
    /// lines after it, on a real `vodhook serve` over a ledger whose history lies in rotated files.
    @Suite("dead letters from the dispatcher's file", .serialized)
    struct ProcessDeadLetterFileTests {
        static func letters(_ body: String) throws -> [[String: Any]] {
            try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [[String: Any]], "not a list: \(body)")
        }

        static let name = "dead-letters.json"

        static func file(_ dataDir: String) -> String { dataDir + "/checkpoints/" + name }

        /// Starts serve with `arguments` and waits until its dispatcher (if any) has read the ledger.
        static func start(
            _ setup: ProcessServeSetup, _ client: HTTPClient, _ arguments: [String], dispatcher: Bool = true
        ) async throws -> ProcessServer {
            let server = try await setup.start(client: client, ["--admin-listen", "127.0.0.1:0"] + arguments)
            if dispatcher {
                let read = await ProcessPoll.until(timeout: .seconds(20)) { server.stderr.contains("dispatcher read the ledger") }
                #expect(read, "\(server.stderr)")
            }
            return server
        }

        @Test(
            "the first /api/dead after a restart opens no rotated file and still shows the old letter with its event; a replay updates it, another removes it; deleting the file changes no answer"
        )
        func deadWithoutHistory() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            // A file where the handler's directory should be: every run of it fails.
            let blocker = try sandbox.write("blocked", "not a directory")
            let config = try ProcessHandlerDispatchTests.config(
                sandbox, dir: blocker + "/results", retry: "{ max_attempts: 1, backoff: 1s, max_backoff: 1s }")
            // The letter's event and dead line first, then enough history to rotate many times.
            let job = ProcessEvent.jobId("dead")
            let body = ProcessEvent.body(jobId: job)
            var records: [LedgerRecord] = [
                .event(EventRecord(envelope: try EventParser.envelope(of: body), body: body, source: "callback")),
                .dead(DeadRecord(handler: "save", eventSeq: 1, attempts: 3, reason: "disk full")),
            ]
            for index in 0..<300 {
                records.append(
                    .submitted(
                        SubmissionRecord(
                            outcome: .accepted, mediaId: "m\(index)", aiType: "AIVideoTag", jobId: ProcessEvent.jobId("s"))))
            }
            let rotated = try await OpenJobsLedger.write(setup.dataDir, records)
            #expect(rotated.count >= 5, "\(rotated)")
            let handlers = ["--config", config]

            try await ProcessHTTP.withClient { client in
                // The first serve with handlers reads the history once and leaves the file.
                let first = try await Self.start(setup, client, handlers)
                defer { first.child.forceKill() }
                #expect(first.stderr.contains("dispatch.dead_letters=none"), "\(first.stderr)")
                #expect(FileManager.default.fileExists(atPath: Self.file(setup.dataDir)))
                #expect(try await first.terminate().isCleanExit)

                let second = try await Self.start(setup, client, handlers)
                defer { second.child.forceKill() }
                #expect(second.stderr.contains("dispatch.dead_letters=\(Self.name)"), "\(second.stderr)")
                let admin = try #require(second.adminAddress)
                let opens = try await OpenJobsLedger.rotatedOpens(client, admin)
                let answer = try await ProcessHTTP.get(client, admin.url("/api/dead"))
                #expect(answer.status == 200, "\(answer)")
                let shown = try Self.letters(answer.body)
                #expect(shown.count == 1, "\(answer.body)")
                let letter = try #require(shown.first)
                #expect(letter["handler"] as? String == "save" && letter["event_seq"] as? Int == 1, "\(letter)")
                #expect(letter["attempts"] as? Int == 3 && letter["reason"] as? String == "disk full", "\(letter)")
                #expect(
                    letter["job_id"] as? String == job && letter["event_type"] as? String == "AIVideoTagComplete"
                        && letter["media_id"] as? String == "4fefd4f434d07c2005373156a727d707"
                        && letter["status"] as? String == "success", "\(letter)")
                let page = try await ProcessHTTP.get(client, admin.url("/dead"))
                #expect(page.body.contains(#"<span id="dead-count">1</span>"#) && page.body.contains(job), "\(page.body)")
                #expect(try await OpenJobsLedger.rotatedOpens(client, admin) == opens, "a rotated file was opened for /dead")
                #expect(!second.stderr.contains("reading the whole ledger for the dead letters"), "\(second.stderr)")

                // Replayed after the file was read: the run fails again, the letter is updated.
                let replay = try await sandbox.runVODHook(["replay", "--dead", "--data-dir", setup.dataDir])
                #expect(replay.exit.isCleanExit, "\(replay)")
                var updated: [[String: Any]] = []
                let diedAgain = await ProcessPoll.until(timeout: .seconds(30)) {
                    let body = (try? await ProcessHTTP.get(client, admin.url("/api/dead")).body) ?? ""
                    updated = (try? Self.letters(body)) ?? []
                    return updated.first?["replays"] as? Int == 1
                }
                #expect(diedAgain, "\(updated)\n\(second.stderr)")
                #expect(updated.count == 1 && updated.first?["attempts"] as? Int == 1, "\(updated)")
                #expect((updated.first?["reason"] as? String)?.contains("Not a directory") == true, "\(updated)")
                let before = try await ProcessHTTP.get(client, admin.url("/api/dead")).body
                #expect(try await second.terminate().isCleanExit)

                // The same answer from the file, from `vodhook dead`, and from the whole ledger once it is deleted.
                let third = try await Self.start(setup, client, handlers)
                defer { third.child.forceKill() }
                let fromFile = try await ProcessHTTP.get(client, try #require(third.adminAddress).url("/api/dead")).body
                #expect(fromFile == before)
                #expect(!third.stderr.contains("reading the whole ledger for the dead letters"), "\(third.stderr)")
                #expect(try await third.terminate().isCleanExit)
                let cliFromFile = try await sandbox.runVODHook(["dead", "--json", "--data-dir", setup.dataDir])
                try FileManager.default.removeItem(atPath: Self.file(setup.dataDir))
                let cliFromLedger = try await sandbox.runVODHook(["dead", "--json", "--data-dir", setup.dataDir])
                #expect(cliFromFile.exit.isCleanExit && cliFromFile.stdout.contains(job), "\(cliFromFile)")
                #expect(cliFromFile.stdout == cliFromLedger.stdout, "\(cliFromFile)\n\(cliFromLedger)")
                // No handlers: no dispatcher, no file; the whole read, said in the log.
                let fourth = try await Self.start(setup, client, [], dispatcher: false)
                defer { fourth.child.forceKill() }
                let fromLedger = try await ProcessHTTP.get(client, try #require(fourth.adminAddress).url("/api/dead")).body
                #expect(fromLedger == before)
                #expect(fourth.stderr.contains("reading the whole ledger for the dead letters"), "\(fourth.stderr)")
                #expect(!FileManager.default.fileExists(atPath: Self.file(setup.dataDir)))
                #expect(try await fourth.terminate().isCleanExit)

                // The cause fixed and replayed once more: the run ends ok and the letter is gone.
                try FileManager.default.removeItem(atPath: blocker)
                let fifth = try await Self.start(setup, client, handlers)
                defer { fifth.child.forceKill() }
                let fifthAdmin = try #require(fifth.adminAddress)
                let written = await ProcessPoll.until(timeout: .seconds(20)) {
                    FileManager.default.fileExists(atPath: Self.file(setup.dataDir))
                }
                #expect(written, "\(fifth.stderr)")
                #expect(try await ProcessHTTP.get(client, fifthAdmin.url("/api/dead")).body == before)
                let again = try await sandbox.runVODHook(["replay", "--dead", "--data-dir", setup.dataDir])
                #expect(again.exit.isCleanExit, "\(again)")
                let gone = await ProcessPoll.until(timeout: .seconds(30)) {
                    (try? await ProcessHTTP.get(client, fifthAdmin.url("/api/dead")).body) == "[]\n"
                }
                #expect(gone, "\(fifth.stderr)")
                let empty = try await ProcessHTTP.get(client, fifthAdmin.url("/dead"))
                #expect(empty.body.contains(#"<span id="dead-count">0</span>"#), "\(empty.body)")
                #expect(try await fifth.terminate().isCleanExit)
            }
        }
    }
}
