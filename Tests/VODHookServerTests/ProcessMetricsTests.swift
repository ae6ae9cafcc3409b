import AsyncHTTPClient
import Foundation
import NIOCore
import Testing
import VODHook
import VODHookCore

extension ProcessTests {
    /// `/metrics` and `/status` of a real `vodhook serve`, scraped over HTTP after real traffic.
    @Suite("serve's metrics and status", .serialized)
    struct ProcessMetricsTests {
        @Test(
            "after accepted, refused, duplicate and differing callbacks and two submissions, /metrics on the admin listener counts each; the public listener answers 404"
        )
        func scrapeAfterTraffic() async throws {
            try await AdminServe.run { setup, server, admin, client in

                let jobs = (0..<3).map { _ in ProcessEvent.jobId() }
                for job in jobs {
                    let answer = try await setup.send(client, server, jobId: job)
                    #expect(answer.status == 200, "\(answer)")
                }
                let again = try await setup.send(client, server, jobId: jobs[0])
                #expect(again.status == 200 && again.isDuplicate, "\(again)")
                // Same EventType|JobId|Status, another body: recorded, flagged body_differs.
                let differs = try await setup.send(client, server, jobId: jobs[1], pad: 8)
                #expect(differs.status == 200 && !differs.isDuplicate, "\(differs)")
                let forged = try await ProcessHTTP.send(
                    client, server.url("/vod/callback"), headers: setup.signer.headers(key: "not-the-key"),
                    body: .bytes(ByteBuffer(bytes: ProcessEvent.body(jobId: ProcessEvent.jobId()))))
                #expect(forged.status == 403, "\(forged)")
                let malformed = try await setup.signer.post(client, server, body: Array(#"{"EventType":"#.utf8))
                #expect(malformed.status == 400, "\(malformed)")
                // Two submissions handed over the control socket, as `vodhook submit` does.
                let control = ControlLedgerSink(
                    socketPath: ControlSocket.path(dataDir: setup.dataDir), client: client, holder: nil)
                let pendingJob = ProcessEvent.jobId("submitted")
                _ = try await control.append([
                    .submitted(SubmissionRecord(outcome: .accepted, mediaId: "m1", aiType: "AIVideoTag", jobId: pendingJob)),
                    .submitted(SubmissionRecord(outcome: .unknown, mediaId: "m2", aiType: "AIVideoTag")),
                ])

                let scrape = try await ProcessHTTP.get(client, admin.url("/metrics"))
                #expect(scrape.status == 200, "\(scrape)")
                let metrics = PrometheusText(scrape.body)
                #expect(metrics.unreadable.isEmpty, "unreadable exposition lines: \(metrics.unreadable)")
                let tag = "AIVideoTagComplete"
                #expect(metrics.value("vodhook_callbacks_accepted_total", ["event_type": tag, "duplicate": "false"]) == 4)
                #expect(metrics.value("vodhook_callbacks_accepted_total", ["event_type": tag, "duplicate": "true"]) == 1)
                #expect(metrics.value("vodhook_callbacks_rejected_total", ["reason": "signature_mismatch"]) == 1)
                #expect(metrics.value("vodhook_callbacks_rejected_total", ["reason": "bad_event"]) == 1)
                #expect(metrics.value("vodhook_callbacks_rejected_total", ["reason": "too_large"]) == 0)
                #expect(metrics.value("vodhook_ledger_duplicates_total") == 1)
                #expect(metrics.value("vodhook_ledger_body_differs_total") == 1)
                #expect(metrics.value("vodhook_ledger_write_failures_total") == 0)
                #expect(metrics.value("vodhook_submissions_total", ["outcome": "accepted"]) == 1)
                #expect(metrics.value("vodhook_submissions_total", ["outcome": "unknown"]) == 1)
                #expect(metrics.value("vodhook_submissions_total", ["outcome": "refused"]) == 0)

                // Six lines in batches: the histograms' sums are the lines and the file's bytes.
                let lines = ProcessLedger.entries(setup.dataDir)
                #expect(lines.count == 6)
                #expect(metrics.value("vodhook_ledger_lines_total") == 6)
                #expect(metrics.types["vodhook_ledger_batch_lines"] == "histogram")
                #expect(metrics.value("vodhook_ledger_batch_lines_sum") == 6)
                let batches = try #require(metrics.value("vodhook_ledger_batch_lines_count"))
                #expect(batches >= 2 && batches <= 6, "\(batches) batches")
                #expect(metrics.value("vodhook_ledger_batch_lines_bucket", ["le": "+Inf"]) == batches)
                #expect(metrics.value("vodhook_ledger_batch_bytes_sum") == Double(ProcessLedger.bytes(setup.dataDir).count))
                #expect(metrics.types["vodhook_ledger_fdatasync_duration_seconds"] == "histogram")
                #expect(metrics.value("vodhook_ledger_fdatasync_duration_seconds_count") == batches)
                #expect((metrics.value("vodhook_ledger_fdatasync_duration_seconds_sum") ?? 0) > 0)

                #expect(metrics.types["vodhook_ready"] == "gauge")
                #expect(metrics.value("vodhook_ready") == 1)
                #expect(metrics.value("vodhook_ledger_last_seq") == 6)
                #expect(metrics.value("vodhook_jobs_pending") == 1)
                #expect(metrics.value("vodhook_jobs_unknown") == 1)
                let started = try #require(metrics.value("vodhook_start_time_seconds"))
                let lastEvent = try #require(metrics.value("vodhook_last_event_timestamp_seconds"))
                #expect(lastEvent >= started, "last event \(lastEvent), started \(started)")

                // The public listener serves callbacks only.
                for path in ["/metrics", "/status"] {
                    let answer = try await ProcessHTTP.get(client, server.url(path))
                    #expect(answer.status == 404, "public \(path): \(answer)")
                }
            }
        }

        @Test("event_type takes at most 32 plain names: a 33rd type, and a name that is not plain, count as other")
        func eventTypeLabelsAreBounded() async throws {
            try await AdminServe.run { setup, server, admin, client in
                let types = (1...33).map { "Custom\($0)Complete" } + ["Not plain{}\\n"]
                for type in types {
                    let body =
                        #"{"EventTime":"2026-11-26T05:33:15Z","EventType":"\#(type)","JobId":"\#(ProcessEvent.jobId())","Status":"success"}"#
                    let answer = try await setup.signer.post(client, server, body: Array(body.utf8))
                    #expect(answer.status == 200, "\(type): \(answer)")
                }
                let metrics = PrometheusText(try await ProcessHTTP.get(client, admin.url("/metrics")).body)
                let accepted = metrics.samples.filter {
                    $0.name == "vodhook_callbacks_accepted_total" && $0.labels["duplicate"] == "false"
                }
                let labels = Set(accepted.compactMap { $0.labels["event_type"] })
                #expect(labels == Set((1...32).map { "Custom\($0)Complete" } + ["other"]), "\(labels.sorted())")
                #expect(metrics.value("vodhook_callbacks_accepted_total", ["event_type": "other", "duplicate": "false"]) == 2)
                #expect(accepted.reduce(0) { $0 + $1.value } == Double(types.count))
            }
        }

        @Test(
            "submissions made while serve runs and its --reconcile-every rounds are counted by outcome and by what ListAIJob said"
        )
        func submissionsAndReconcile() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            let state = FakeVODState(credentials: [SubmitSupport.credentials])
            try await ProcessHTTP.withClient { client in
                try await FakeVODServer.run(state) { endpoint in
                    let server = try await sandbox.startServer(
                        setup.arguments([
                            "--admin-listen", "127.0.0.1:0", "--reconcile-every", "1s", "--reconcile-older-than", "1s",
                            "--endpoint", endpoint.url,
                        ]),
                        dataDir: setup.dataDir, environment: SubmitSupport.environment(), client: client)
                    defer { server.child.forceKill() }
                    let media = try sandbox.write("media.txt", "m-done\nm-running\n")
                    let submit = try await sandbox.runVODHook(
                        ["submit", "--from", media, "--endpoint", endpoint.url, "--data-dir", setup.dataDir],
                        environment: SubmitSupport.environment())
                    #expect(submit.exit.isCleanExit, "\(submit)")
                    let jobs = Dictionary(
                        uniqueKeysWithValues: SubmitSupport.submitted(setup.dataDir).map { ($0.mediaId ?? "", $0.jobId ?? "") })
                    state.setStatus("success", of: try #require(jobs["m-done"]))

                    let admin = try #require(server.adminAddress)
                    var metrics = PrometheusText("")
                    let reconciled = await ProcessPoll.until(timeout: .seconds(20), interval: .milliseconds(200)) {
                        guard let scrape = try? await ProcessHTTP.get(client, admin.url("/metrics")) else { return false }
                        metrics = PrometheusText(scrape.body)
                        return metrics.value("vodhook_reconcile_jobs_total", ["result": "recorded"]) == 1
                            && (metrics.value("vodhook_reconcile_jobs_total", ["result": "running"]) ?? 0) >= 1
                    }
                    #expect(reconciled, "\(server.stderr)")
                    #expect(metrics.value("vodhook_submissions_total", ["outcome": "accepted"]) == 2)
                    #expect(metrics.value("vodhook_submissions_total", ["outcome": "refused"]) == 0)
                    #expect(metrics.value("vodhook_jobs_pending") == 1)
                    let rounds = try #require(metrics.value("vodhook_reconcile_rounds_total", ["result": "ok"]))
                    #expect(rounds >= 1)
                    #expect(metrics.value("vodhook_reconcile_rounds_total", ["result": "failed"]) == 0)
                    #expect((metrics.value("vodhook_reconcile_jobs_total", ["result": "running"]) ?? 0) <= rounds)
                    #expect(metrics.value("vodhook_reconcile_jobs_total", ["result": "unknown_to_vod"]) == 0)
                    #expect(try await server.terminate().isCleanExit)
                }
            }
        }

        @Test(
            "a write refused by the file-size limit: vodhook_ready 0, one write failure, the 503 counted as ledger_unavailable; status says not ready"
        )
        func writeFailure() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            try await ProcessHTTP.withClient { client in
                // 16 KiB (the log on stderr needs some of it too): some twenty events fit, then one does not,
                // and neither does the writer's probe of its size.
                let server = try await setup.start(
                    client: client, ["--admin-listen", "127.0.0.1:0"], shellPrefix: "ulimit -S -f 16")
                defer { server.child.forceKill() }
                let admin = try #require(server.adminAddress)
                var answers: [Int] = []
                while answers.last != 503 && answers.count < 40 {
                    answers.append(try await setup.send(client, server, jobId: ProcessEvent.jobId()).status)
                }
                #expect(answers.last == 503 && answers.dropLast().allSatisfy { $0 == 200 }, "\(answers)")

                let metrics = PrometheusText(try await ProcessHTTP.get(client, admin.url("/metrics")).body)
                #expect(metrics.value("vodhook_ready") == 0)
                #expect(metrics.value("vodhook_ledger_write_failures_total") == 1)
                #expect(metrics.value("vodhook_callbacks_rejected_total", ["reason": "ledger_unavailable"]) == 1)
                #expect(metrics.value("vodhook_ledger_lines_total") == Double(answers.count - 1))
                #expect(metrics.value("vodhook_ledger_last_seq") == Double(answers.count - 1))
                guard case .tcp(let host, let port) = admin else { return }
                let status = try await setup.sandbox.runVODHook(["status", "--admin", "\(host):\(port)"])
                #expect(status.stdout.contains("ready:      no"), "\(status)")
            }
        }

        @Test("without --admin-listen, /metrics and /status are on no listener: the public one answers 404, /readyz 200")
        func noAdminListenerNoMetrics() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            try await ProcessHTTP.withClient { client in
                let server = try await setup.start(client: client)
                defer { server.child.forceKill() }
                #expect(try await setup.send(client, server, jobId: ProcessEvent.jobId()).status == 200)
                for path in ["/metrics", "/status"] {
                    let answer = try await ProcessHTTP.get(client, server.url(path))
                    #expect(answer.status == 404, "\(path): \(answer)")
                }
                #expect(try await ProcessHTTP.get(client, server.url("/readyz")).status == 200)
                #expect(try await server.terminate().isCleanExit)
            }
        }
    }
}

/// A sandboxed `vodhook serve` with an admin listener on loopback, stopped (and checked to stop
/// cleanly) after `body`.
enum AdminServe {
    /// `adminListen` nil: 127.0.0.1 on a free port; else given the sandbox's path, it names the listener.
    static func run(
        adminListen: ((ProcessSandbox) -> String)? = nil,
        _ body: (ProcessServeSetup, ProcessServer, ProcessServerAddress, HTTPClient) async throws -> Void
    ) async throws {
        let sandbox = try ProcessSandbox()
        defer { sandbox.remove() }
        let setup = try ProcessServeSetup(sandbox)
        try await ProcessHTTP.withClient { client in
            let server = try await setup.start(client: client, ["--admin-listen", adminListen?(sandbox) ?? "127.0.0.1:0"])
            defer { server.child.forceKill() }
            try await body(setup, server, try #require(server.adminAddress), client)
            #expect(try await server.terminate().isCleanExit)
        }
    }
}
