import AsyncHTTPClient
import Foundation
import Testing
import VODHook
import VODHookCore

extension ProcessTests {
    /// `vodhook status` against a real serve's admin listener, and against its ledger files.
    @Suite("vodhook status", .serialized)
    struct ProcessStatusTests {
        @Test(
            "status --admin asks the running server; --data-dir reads the ledger, while it runs and after it stopped, with the same figures"
        )
        func adminThenLedger() async throws {
            try await AdminServe.run { setup, server, admin, client in
                let sandbox = setup.sandbox
                guard case .tcp(let host, let port) = admin else {
                    Issue.record("admin listener is not TCP")
                    return
                }
                let control = ControlLedgerSink(
                    socketPath: ControlSocket.path(dataDir: setup.dataDir), client: client, holder: nil)
                _ = try await control.append([
                    .submitted(
                        SubmissionRecord(outcome: .accepted, mediaId: "m1", aiType: "AIVideoTag", jobId: ProcessEvent.jobId())),
                    .submitted(SubmissionRecord(outcome: .unknown, mediaId: "m2", aiType: "AIMediaDNA")),
                ])
                #expect(try await setup.send(client, server, jobId: ProcessEvent.jobId()).status == 200)
                let liveBytes = Int64(ProcessLedger.bytes(setup.dataDir).count)

                let fromAdmin = try await status(sandbox, ["--admin", "\(host):\(port)", "--json"])
                #expect(fromAdmin.source == .admin)
                #expect(fromAdmin.serving && fromAdmin.ready == true)
                #expect(fromAdmin.startedAt != nil && (fromAdmin.uptimeSeconds ?? -1) >= 0)
                #expect(fromAdmin.files == [.init(name: "ledger.jsonl", bytes: liveBytes)])
                #expect(fromAdmin.lastSeq == 3)
                #expect(fromAdmin.pendingJobs == 1 && fromAdmin.unknownJobs == 1)
                let lastEvent = try #require(fromAdmin.lastEventAt)
                #expect(lastEvent == ProcessLedger.entries(setup.dataDir).last?.at)

                let text = try await sandbox.runVODHook(["status", "--admin", "http://\(host):\(port)/"])
                #expect(text.exit.isCleanExit, "\(text)")
                #expect(text.stdout.hasPrefix("source:     admin endpoint http://\(host):\(port)/status"), "\(text)")
                #expect(text.stdout.contains("ready:      yes"), "\(text)")
                #expect(text.stdout.contains("1 file, \(liveBytes) bytes, last seq 3"), "\(text)")
                #expect(text.stdout.contains("1 pending, 1 unknown"), "\(text)")

                // The ledger read while serve runs: the same figures, and it knows a server is there.
                let whileRunning = try await status(sandbox, ["--data-dir", setup.dataDir, "--json"])
                #expect(whileRunning.source == .ledger && whileRunning.serving && whileRunning.ready == nil)
                #expect(whileRunning.lastSeq == 3 && whileRunning.pendingJobs == 1 && whileRunning.unknownJobs == 1)
                #expect(whileRunning.lastEventAt == lastEvent && whileRunning.files == fromAdmin.files)
                let runningText = try await sandbox.runVODHook(["status", "--data-dir", setup.dataDir])
                #expect(runningText.stdout.contains("ready:      unknown (ask --admin)"), "\(runningText)")

                #expect(try await server.terminate().isCleanExit)  // stopping twice is harmless: AdminServe checks it again

                let stopped = try await status(sandbox, ["--data-dir", setup.dataDir, "--json"])
                #expect(stopped.source == .ledger && !stopped.serving && stopped.ready == false && stopped.startedAt == nil)
                #expect(stopped.lastSeq == 3 && stopped.pendingJobs == 1 && stopped.unknownJobs == 1)
                #expect(stopped.lastEventAt == lastEvent && stopped.files == fromAdmin.files)
                let stoppedText = try await sandbox.runVODHook(["status", "--data-dir", setup.dataDir])
                #expect(stoppedText.stdout.hasPrefix("source:     ledger files \(setup.dataDir)"), "\(stoppedText)")
                #expect(stoppedText.stdout.contains("serve:      not running"), "\(stoppedText)")

                // The admin listener is gone: with --data-dir the ledger answers, saying so; without, an error.
                let fallback = try await sandbox.runVODHook(["status", "--admin", "\(host):\(port)", "--data-dir", setup.dataDir])
                #expect(fallback.exit.isCleanExit, "\(fallback)")
                #expect(fallback.stdout.hasPrefix("source:     ledger files"), "\(fallback)")
                #expect(fallback.stderr.contains("no status from http://\(host):\(port)/status"), "\(fallback)")
                let unreachable = try await sandbox.runVODHook(["status", "--admin", "\(host):\(port)"])
                #expect(!unreachable.exit.isCleanExit && unreachable.stdout.isEmpty, "\(unreachable)")
                #expect(unreachable.stderr.contains("no status from http://\(host):\(port)/status"), "\(unreachable)")
            }
        }

        @Test("status --admin unix:PATH asks an admin listener on a unix socket, where /metrics is served too")
        func adminOnUnixSocket() async throws {
            try await AdminServe.run(adminListen: { "unix:" + $0.file("admin.sock") }) { setup, server, admin, client in
                guard case .unix(let path) = admin else {
                    Issue.record("admin listener is not a unix socket: \(admin)")
                    return
                }
                #expect(try await setup.send(client, server, jobId: ProcessEvent.jobId()).status == 200)
                let answer = try await status(setup.sandbox, ["--admin", "unix:" + path, "--json"])
                #expect(answer.source == .admin && answer.ready == true && answer.lastSeq == 1)
                let metrics = PrometheusText(try await ProcessHTTP.get(client, admin.url("/metrics")).body)
                #expect(metrics.value("vodhook_ledger_lines_total") == 1)
            }
        }

        private func status(
            _ sandbox: ProcessSandbox, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation
        ) async throws -> ServerStatus {
            let result = try await sandbox.runVODHook(["status"] + arguments)
            #expect(result.exit.isCleanExit, "\(result)", sourceLocation: sourceLocation)
            return try JSONDecoder().decode(ServerStatus.self, from: Data(result.stdout.utf8))
        }
    }
}
