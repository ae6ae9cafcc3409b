import AsyncHTTPClient
import Foundation
import Logging
import Testing
import VODHook
import VODHookCore

/// A ledger whose history lies in rotated files, written by a real writer before serve starts.
enum OpenJobsLedger {
    /// Appends `records` in batches of 20 through a writer that rotates every few KiB; returns
    /// the rotated files' names.
    static func write(_ dataDir: String, _ records: [LedgerRecord]) async throws -> [String] {
        let writer = try LedgerWriter(dataDir: dataDir, rotateSize: 8 << 10, logger: Logger(label: "test.open-jobs"))
        var start = 0
        while start < records.count {
            _ = try await writer.append(Array(records[start..<min(start + 20, records.count)]))
            start += 20
        }
        await writer.close()
        return rotated(dataDir)
    }

    static func rotated(_ dataDir: String) -> [String] {
        ProcessLedger.files(dataDir, prefix: "ledger-").filter { $0.hasSuffix(".jsonl") }
    }

    /// Moves the rotated files out of the data directory, as an archiving job would: whatever
    /// still finds their jobs did not read them.
    static func archiveRotated(_ dataDir: String, to archive: String) throws {
        try FileManager.default.createDirectory(atPath: archive, withIntermediateDirectories: true)
        for name in rotated(dataDir) {
            try FileManager.default.moveItem(atPath: dataDir + "/" + name, toPath: archive + "/" + name)
        }
    }

    static func restore(_ dataDir: String, from archive: String) throws {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: archive)) ?? [] {
            try FileManager.default.moveItem(atPath: archive + "/" + name, toPath: dataDir + "/" + name)
        }
    }

    static func event(jobId: String, status: String) throws -> LedgerRecord {
        let body = ProcessEvent.body(jobId: jobId, status: status)
        return .event(EventRecord(envelope: try EventParser.envelope(of: body), body: body, source: "callback"))
    }

    /// `vodhook_ledger_file_opens_total{file="rotated"}` on serve's admin listener.
    static func rotatedOpens(_ client: HTTPClient, _ admin: ProcessServerAddress) async throws -> Double? {
        let scrape = try await ProcessHTTP.get(client, admin.url("/metrics"))
        return PrometheusText(scrape.body).value("vodhook_ledger_file_opens_total", ["file": "rotated"])
    }
}

extension ProcessTests {
    @Suite("open jobs from serve's memory", .serialized)
    struct ProcessOpenJobsTests {
        @Test(
            "a reconcile round over 1,000 pending jobs whose lines are in rotated files opens none of them: `vodhook reconcile` gets them from serve, and so does `serve --reconcile-every`"
        )
        func roundsReadNoRotatedFile() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            let state = FakeVODState(credentials: [SubmitSupport.credentials])
            let jobs = (0..<1_000).compactMap { state.submit(mediaId: "m\($0)", types: ["AIVideoTag"]).first?.jobId }
            let rotated = try await OpenJobsLedger.write(
                setup.dataDir,
                jobs.enumerated().map { index, job in
                    .submitted(SubmissionRecord(outcome: .accepted, mediaId: "m\(index)", aiType: "AIVideoTag", jobId: job))
                })
            #expect(rotated.count >= 10, "\(rotated)")
            // Half of them finished while no callback could reach vodhook.
            for job in jobs[..<500] { state.setStatus("success", of: job) }
            let archive = sandbox.file("archive")
            try await ProcessHTTP.withClient { client in
                try await FakeVODServer.run(state) { endpoint in
                    let server = try await sandbox.startServer(
                        setup.arguments(["--admin-listen", "127.0.0.1:0", "--endpoint", endpoint.url]), dataDir: setup.dataDir,
                        environment: SubmitSupport.environment(), client: client)
                    defer { server.child.forceKill() }
                    let admin = try #require(server.adminAddress)
                    // Start-up read each rotated file once; nothing after that may open one again.
                    let atStart = try await OpenJobsLedger.rotatedOpens(client, admin)
                    #expect(atStart == Double(rotated.count))
                    try OpenJobsLedger.archiveRotated(setup.dataDir, to: archive)

                    let round = try await sandbox.runVODHook(
                        ["reconcile", "--older-than", "0s", "--endpoint", endpoint.url, "--data-dir", setup.dataDir],
                        environment: SubmitSupport.environment())
                    #expect(round.exit.isCleanExit, "\(round)")
                    #expect(
                        round.stdout.contains(
                            "asked about 1000 pending job(s): 500 finished and recorded, 0 already recorded, 500 still running"),
                        "\(round)")
                    #expect(try await OpenJobsLedger.rotatedOpens(client, admin) == atStart)
                    #expect(try await server.terminate().isCleanExit)
                }
                // The other half finish; serve's own rounds find them, still without the rotated files.
                for job in jobs[500...] { state.setStatus("fail", of: job) }
                try await FakeVODServer.run(state) { endpoint in
                    try OpenJobsLedger.restore(setup.dataDir, from: archive)
                    let server = try await sandbox.startServer(
                        setup.arguments([
                            "--admin-listen", "127.0.0.1:0", "--endpoint", endpoint.url, "--reconcile-every", "1s",
                            "--reconcile-older-than", "1s",
                        ]), dataDir: setup.dataDir, environment: SubmitSupport.environment(), client: client)
                    defer { server.child.forceKill() }
                    let admin = try #require(server.adminAddress)
                    let atStart = try await OpenJobsLedger.rotatedOpens(client, admin)
                    try OpenJobsLedger.archiveRotated(setup.dataDir, to: archive)
                    let failed = {
                        ProcessLedger.entries(setup.dataDir).filter { $0.source == "poll" && $0.status == "fail" }.count
                    }
                    let polled = await ProcessPoll.until(timeout: .seconds(60)) { failed() == 500 }
                    #expect(polled, "\(failed()) of 500 recorded\n\(server.stderr)")
                    #expect(try await OpenJobsLedger.rotatedOpens(client, admin) == atStart)
                    #expect(try await server.terminate().isCleanExit)
                }
            }
        }

        @Test(
            "`jobs --status pending|unknown` answers from serve's memory exactly what the scan of the files answers, and still does with the rotated files gone"
        )
        func jobsFromServeEqualScan() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            var records: [LedgerRecord] = []
            var mediaOfFirst = ""
            for index in 0..<300 {
                let job = ProcessEvent.jobId("j\(index)")
                let media = "media-\(index % 7)"
                if index == 0 { mediaOfFirst = media }
                switch index % 6 {
                case 0, 1:  // pending
                    records.append(
                        .submitted(SubmissionRecord(outcome: .accepted, mediaId: media, aiType: "AIVideoTag", jobId: job)))
                case 2:  // finished
                    records.append(
                        .submitted(SubmissionRecord(outcome: .accepted, mediaId: media, aiType: "AIVideoTag", jobId: job)))
                    records.append(try OpenJobsLedger.event(jobId: job, status: index % 12 == 2 ? "success" : "fail"))
                case 3:  // the answer never came
                    records.append(.submitted(SubmissionRecord(outcome: .unknown, mediaId: media, aiType: "AIVideoTag")))
                case 4:  // the callback overtook its submitted line
                    records.append(try OpenJobsLedger.event(jobId: job, status: "success"))
                    records.append(
                        .submitted(SubmissionRecord(outcome: .accepted, mediaId: media, aiType: "AIVideoTag", jobId: job)))
                default:  // refused
                    records.append(
                        .submitted(
                            SubmissionRecord(
                                outcome: .refused, mediaId: media, aiType: "AIVideoTag",
                                error: .init(code: "Forbidden", message: "no"))))
                }
            }
            let rotated = try await OpenJobsLedger.write(setup.dataDir, records)
            #expect(rotated.count >= 5, "\(rotated)")
            let queries = [
                ["--status", "pending", "--json"], ["--status", "unknown", "--json"],
                ["--status", "pending", "--media-id", mediaOfFirst, "--json"], ["--status", "pending"], ["--status", "unknown"],
            ]
            func answers() async throws -> [String] {
                var outputs: [String] = []
                for query in queries {
                    let run = try await sandbox.runVODHook(["jobs"] + query + ["--data-dir", setup.dataDir])
                    #expect(run.exit.isCleanExit, "\(run)")
                    // The table's AGE column moves with the clock; the rest must match.
                    outputs.append(
                        query.contains("--json")
                            ? run.stdout
                            : run.stdout.split(separator: "\n").map { $0.split(separator: " ").dropLast().joined(separator: " ") }
                                .joined(separator: "\n"))
                }
                return outputs
            }
            let scanned = try await answers()
            #expect(scanned[0].split(separator: "\n").count == 100, "\(scanned[0])")
            #expect(scanned[1].split(separator: "\n").count == 50, "\(scanned[1])")
            try await ProcessHTTP.withClient { client in
                let server = try await setup.start(client: client)
                defer { server.child.forceKill() }
                #expect(try await answers() == scanned)
                try OpenJobsLedger.archiveRotated(setup.dataDir, to: sandbox.file("archive"))
                #expect(try await answers() == scanned, "serve answered; no rotated file was read")
                #expect(try await server.terminate().isCleanExit)
            }
            // Without serve: its checkpoint and the live file answer, still without the rotated files.
            #expect(!ProcessLedger.files(setup.dataDir + "/checkpoints", prefix: "").isEmpty)
            #expect(try await answers() == scanned, "the checkpoint answered; no rotated file was read")
        }
    }
}
