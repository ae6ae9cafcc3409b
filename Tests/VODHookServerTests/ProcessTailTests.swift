import AsyncHTTPClient
import Foundation
import Testing
import VODHookCore

extension ProcessTests {
    /// `vodhook tail` as the binary, following what a real `vodhook serve` writes.
    @Suite("tail as a child process", .serialized)
    struct ProcessTailTests {
        static let escape = "\u{1B}["

        /// Waits until `child`'s stdout holds every one of `needles`.
        static func waitFor(_ child: ProcessChild, _ needles: [String], timeout: Duration = .seconds(20)) async -> Bool {
            await ProcessPoll.until(timeout: timeout) { needles.allSatisfy(child.stdout.contains) }
        }

        /// Waits until tail has opened the ledger (its start-up notice).
        static func waitFollowing(_ child: ProcessChild) async -> Bool {
            await ProcessPoll.until(timeout: .seconds(20)) { (child.stdout + child.stderr).contains("following ") }
        }

        /// A running `vodhook serve` (with `extra` arguments) in a fresh sandbox, for one test.
        static func withServer(
            _ extra: [String] = [],
            _ body: (ProcessSandbox, ProcessServeSetup, HTTPClient, ProcessServer) async throws -> Void
        ) async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            try await ProcessHTTP.withClient { client in
                let server = try await setup.start(client: client, extra)
                defer { server.child.forceKill() }
                try await body(sandbox, setup, client, server)
            }
        }

        @Test("in a terminal, tail shows in colour a line serve writes after it started, and not the ones before")
        func terminalSeesNewLine() async throws {
            try await Self.withServer { sandbox, setup, client, server in
                let before = ProcessEvent.jobId("before")
                #expect(try await setup.send(client, server, jobId: before).status == 200)

                // An empty NO_COLOR asks for nothing (no-color.org); it also overrides one the test runs under.
                let tail = try sandbox.spawnVODHook(
                    ["tail", "--data-dir", setup.dataDir], environment: ["NO_COLOR": ""], terminal: true)
                defer { tail.forceKill() }
                #expect(await Self.waitFollowing(tail), "tail did not start: \(tail.stdout)")
                let after = ProcessEvent.jobId("after")
                #expect(try await setup.send(client, server, jobId: after).status == 200)

                #expect(await Self.waitFor(tail, [after]), "tail did not show \(after): \(tail.stdout)")
                let shown = tail.stdout
                #expect(!shown.contains(before), "tail started from the beginning, not the end: \(shown)")
                #expect(shown.contains(Self.escape), "no colour in a terminal: \(shown.debugDescription)")
                let line = try #require(shown.split(separator: "\n").first { $0.contains(after) })
                for field in [
                    "#2", "event", "AIVideoTagComplete", "media 4fefd4f434d07c2005373156a727d707", "success", "uncorrelated",
                ] {
                    #expect(line.contains(field), "\(field) missing from \(line.debugDescription)")
                }
            }
        }

        @Test("NO_COLOR in a terminal and a pipe get plain lines; SIGINT exits 0")
        func plainWithoutTerminalOrWithNoColor() async throws {
            try await Self.withServer { sandbox, setup, client, server in
                let jobId = ProcessEvent.jobId()
                #expect(try await setup.send(client, server, jobId: jobId).status == 200)

                let noColor = try sandbox.spawnVODHook(
                    ["tail", "--from-seq", "1", "--data-dir", setup.dataDir], environment: ["NO_COLOR": "1"], terminal: true)
                defer { noColor.forceKill() }
                let piped = try sandbox.spawnVODHook(["tail", "--from-seq", "1", "--data-dir", setup.dataDir])
                defer { piped.forceKill() }
                #expect(await Self.waitFor(noColor, [jobId]), "NO_COLOR tail did not show \(jobId): \(noColor.stdout)")
                #expect(await Self.waitFor(piped, [jobId]), "piped tail did not show \(jobId): \(piped.stdout) \(piped.stderr)")
                #expect(!noColor.stdout.contains(Self.escape), "colour despite NO_COLOR: \(noColor.stdout.debugDescription)")
                #expect(!piped.stdout.contains(Self.escape), "colour into a pipe: \(piped.stdout.debugDescription)")

                piped.signal(SIGINT)
                let exit = await piped.waitForExit(timeout: .seconds(10))
                #expect(exit == ProcessExit(status: 0, signaled: false), "Ctrl-C: \(exit.map { "\($0)" } ?? "still running")")
            }
        }

        @Test("tail follows the ledger across rotations: every line once, in seq order")
        func followsRotations() async throws {
            try await Self.withServer(["--rotate-size", "2KiB"]) { sandbox, setup, client, server in
                let tail = try sandbox.spawnVODHook(["tail", "--data-dir", setup.dataDir])
                defer { tail.forceKill() }
                #expect(await Self.waitFollowing(tail), "tail did not start: \(tail.stderr)")

                var jobIds: [String] = []
                for index in 0..<12 {
                    let jobId = ProcessEvent.jobId("rot\(index)")
                    jobIds.append(jobId)
                    #expect(try await setup.send(client, server, jobId: jobId, pad: 600).status == 200)
                    // Some rotations between polls, some within.
                    if index % 4 == 3 { try await Task.sleep(for: .milliseconds(300)) }
                }
                #expect(await Self.waitFor(tail, jobIds), "tail lost lines across rotations: \(tail.stdout) \(tail.stderr)")
                let rotated = ProcessLedger.files(setup.dataDir, prefix: "ledger-")
                #expect(rotated.count >= 3, "the ledger rotated only \(rotated.count) time(s)")
                let lines = tail.stdout.split(separator: "\n")
                let order = jobIds.map { jobId in lines.firstIndex { $0.contains(jobId) } ?? -1 }
                #expect(order == Array(0..<12), "lines shown out of order or twice: \(tail.stdout)")
                #expect(lines.count == 12, "\(lines.count) lines for 12 events: \(tail.stdout)")
            }
        }

        @Test("--json passes the ledger's bytes through; --job, --status, --type and --kind select")
        func jsonAndFilters() async throws {
            try await Self.withServer { sandbox, setup, client, server in
                let first = ProcessEvent.jobId("first")
                let second = ProcessEvent.jobId("second")
                let failed = ProcessEvent.jobId("failed")
                #expect(try await setup.send(client, server, jobId: first).status == 200)
                #expect(try await setup.send(client, server, jobId: second).status == 200)
                #expect(
                    try await setup.signer.post(client, server, body: ProcessEvent.body(jobId: failed, status: "fail")).status
                        == 200)

                let json = try sandbox.spawnVODHook(["tail", "--json", "--from-seq", "1", "--data-dir", setup.dataDir])
                defer { json.forceKill() }
                #expect(await Self.waitFor(json, [failed]))
                #expect(
                    Array(json.stdout.utf8) == ProcessLedger.bytes(setup.dataDir),
                    "--json is not the ledger's bytes: \(json.stdout)")

                let cases: [([String], String, [String])] = [
                    (["--job", second], second, [first, failed]),
                    (["--status", "fail"], failed, [first, second]),
                    (["--from-seq", "2", "--type", "AIVideoTagComplete"], second, [first]),
                    (
                        ["--kind", "event", "--media", "4fefd4f434d07c2005373156a727d707", "--status", "success"], second,
                        [failed]
                    ),
                ]
                for (filters, shown, hidden) in cases {
                    let arguments =
                        ["tail"] + (filters.contains("--from-seq") ? [] : ["--from-seq", "1"]) + filters + [
                            "--data-dir", setup.dataDir,
                        ]
                    let child = try sandbox.spawnVODHook(arguments)
                    defer { child.forceKill() }
                    #expect(
                        await Self.waitFor(child, [shown]), "\(filters) did not show \(shown): \(child.stdout) \(child.stderr)")
                    for jobId in hidden { #expect(!child.stdout.contains(jobId), "\(filters) showed \(jobId): \(child.stdout)") }
                }
                let none = try sandbox.spawnVODHook([
                    "tail", "--kind", "submitted", "--json", "--from-seq", "1", "--data-dir", setup.dataDir,
                ])
                defer { none.forceKill() }
                #expect(await Self.waitFollowing(none))
                try await Task.sleep(for: .milliseconds(500))
                #expect(none.stdout.isEmpty, "--kind submitted showed event lines: \(none.stdout)")
            }
        }
    }
}
