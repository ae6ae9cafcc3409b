import AsyncHTTPClient
import Foundation
import NIOCore
import Testing
import VODHook
import VODHookCore

/// `vodhook submit`, `jobs` and `job` as operators run them: the real binary against the fake VOD.
enum SubmitSupport {
    static let credentials = VODClientSupport.credentials

    /// The environment `submit` reads its AccessKey from.
    static func environment(_ credentials: ACSCredentials = credentials) -> [String: String] {
        [
            VODCredentials.accessKeyIdVariable: credentials.accessKeyId,
            VODCredentials.accessKeySecretVariable: credentials.accessKeySecret,
        ]
    }

    /// The result lines of submissions (what VOD answered), without the `sending` lines before them.
    static func submitted(_ dataDir: String) -> [LedgerEntry] {
        ProcessLedger.entries(dataDir).filter { $0.kind == .submitted && $0.outcome != .sending }
    }

    /// The `sending` lines written before each call.
    static func intents(_ dataDir: String) -> [LedgerEntry] {
        ProcessLedger.entries(dataDir).filter { $0.kind == .submitted && $0.outcome == .sending }
    }

    static func mediaIds(_ count: Int) -> [String] {
        (0..<count).map { String(format: "%032x", 0xabc000 + $0) }
    }

    /// `vodhook <arguments>` started in `sandbox` with the AccessKey, for a test that signals it;
    /// its output goes to `<name>.out` and `<name>.err`.
    static func start(_ sandbox: ProcessSandbox, _ arguments: [String], name: String) throws -> ProcessChild {
        try ProcessChild(
            executable: try ProcessBinary.path(), arguments: arguments, directory: sandbox.path,
            environment: ProcessBinary.environment(environment()),
            stdoutPath: sandbox.file(name + ".out"), stderrPath: sandbox.file(name + ".err"))
    }

    /// A running `serve` (the usual setup) and a fake VOD; with `callbacks`, the fake sends
    /// completed jobs' callbacks to the server, signed for its public URL. Both stop after `body`,
    /// and the ledger must then verify clean.
    static func withServeAndFake(
        _ sandbox: ProcessSandbox, _ state: FakeVODState, callbacks: Bool = true,
        _ body: @Sendable (ProcessServeSetup, ProcessServer, VODEndpoint, HTTPClient) async throws -> Void
    ) async throws {
        let setup = try ProcessServeSetup(sandbox)
        try await ProcessHTTP.withClient { client in
            let server = try await setup.start(client: client)
            defer { server.child.forceKill() }
            try await FakeVODServer.run(state) { endpoint in
                if callbacks {
                    state.sendCallbacks(
                        to: FakeVODCallbackTarget(
                            deliverTo: server.url("/vod/callback"), signedURL: ProcessServeSetup.publicURL, key: setup.signer.key)
                    )
                }
                try await body(setup, server, endpoint, client)
            }
            #expect(try await server.terminate().isCleanExit)
            #expect(try await setup.verify().exit.isCleanExit)
        }
    }
}

extension ProcessTests {
    @Suite("submit, jobs and job as child processes", .serialized)
    struct ProcessSubmitTests {
        @Test(
            "end to end: submit while serve runs, the fake calls back, the ledger shows both lines correlated, `job` shows the history"
        )
        func endToEnd() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let state = FakeVODState(credentials: [SubmitSupport.credentials])
            try await SubmitSupport.withServeAndFake(sandbox, state) { setup, server, endpoint, client in
                let media = "4fefd4f434d07c2005373156a727d707"
                let submit = try await sandbox.runVODHook(
                    [
                        "submit", "--media-id", media, "--types", "AIVideoTag,AIMediaDNA",
                        "--ai-config", #"{"AIVideoTag":{"AnalyseTypes":"ASR,OCR"}}"#,
                        "--endpoint", endpoint.url, "--data-dir", setup.dataDir,
                    ],
                    environment: SubmitSupport.environment())
                #expect(submit.exit.isCleanExit, "\(submit)")
                #expect(submit.stderr.contains("the running server (pid \(server.child.pid))"), "\(submit)")
                let submitted = SubmitSupport.submitted(setup.dataDir)
                #expect(submitted.map(\.aiType) == ["AIVideoTag", "AIMediaDNA"])
                #expect(submitted.allSatisfy { $0.outcome == .accepted && $0.mediaId == media && $0.requestId != nil })
                let tagJob = try #require(submitted.first?.jobId)
                #expect(submit.stdout.contains(tagJob), "the table does not show the JobId\n\(submit)")
                // Each call's `sending` lines were durable before it left, and its results name them.
                let intents = SubmitSupport.intents(setup.dataDir)
                #expect(intents.map(\.aiType) == ["AIVideoTag", "AIMediaDNA"])
                #expect(intents.allSatisfy { $0.jobId == nil && $0.mediaId == media })
                #expect(submitted.map(\.intentSeq) == intents.map(\.seq))
                #expect(zip(intents, submitted).allSatisfy { $0.seq < $1.seq })

                #expect(await state.complete(tagJob, status: "success") == [200])
                let event = try #require(ProcessLedger.entries(setup.dataDir).last)
                #expect(event.kind == .event && event.jobId == tagJob && event.source == "callback")
                #expect(event.submissionSeq == submitted.first?.seq)

                let job = try await sandbox.runVODHook(["job", tagJob, "--data-dir", setup.dataDir])
                #expect(job.exit.isCleanExit, "\(job)")
                #expect(job.stdout.contains("state success"), "\(job)")
                #expect(
                    job.stdout.contains("submitted  sending") && job.stdout.contains("submitted  accepted")
                        && job.stdout.contains("AIVideoTagComplete success"), "\(job)")
                let jobJSON = try await sandbox.runVODHook(["job", tagJob, "--json", "--data-dir", setup.dataDir])
                let lines = jobJSON.stdout.split(separator: "\n")
                #expect(lines.count == 3)
                #expect(lines.first?.contains(#""outcome":"sending""#) == true, "\(jobJSON)")
                #expect(lines.last?.contains(#""correlated":true"#) == true, "\(jobJSON)")

                let pending = try await sandbox.runVODHook(["jobs", "--status", "pending", "--data-dir", setup.dataDir])
                #expect(pending.stdout.contains(submitted[1].jobId ?? "?") && !pending.stdout.contains(tagJob), "\(pending)")
                let missing = try await sandbox.runVODHook([
                    "job", "ffffffffffffffffffffffffffffffff", "--data-dir", setup.dataDir,
                ])
                #expect(missing.exit.status == 1)

                // The control socket is private to vodhook's user and not on the public listener.
                #expect(ProcessFiles.permissions(setup.dataDir + "/control") == 0o700)
                #expect(ProcessFiles.type(ControlSocket.path(dataDir: setup.dataDir)) == .typeSocket)
                let appendOnPublic = try await ProcessHTTP.send(
                    client, server.url(ControlAppendRequest.path), body: .bytes(ByteBuffer(string: #"{"records":[]}"#)))
                #expect(appendOnPublic.status == 404, "\(appendOnPublic)")
            }
            #expect(!FileManager.default.fileExists(atPath: ControlSocket.path(dataDir: sandbox.file("data"))), "removed on exit")
        }

        @Test("without a server, submit writes the ledger itself; a rerun skips what is there; --force submits again")
        func standaloneAndResume() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let dataDir = sandbox.file("data")
            let state = FakeVODState(credentials: [SubmitSupport.credentials])
            try await FakeVODServer.run(state) { endpoint in
                let arguments = [
                    "submit", "--media-id", "m-1", "--types", "AIVideoTag", "--endpoint", endpoint.url,
                    "--data-dir", dataDir, "--json",
                ]
                let first = try await sandbox.runVODHook(arguments, environment: SubmitSupport.environment())
                #expect(first.exit.isCleanExit, "\(first)")
                #expect(
                    first.stdout.contains(#""outcome":"accepted""#) && first.stdout.contains(#""seq":2"#)
                        && first.stdout.contains(#""intent_seq":1"#), "\(first)")
                let again = try await sandbox.runVODHook(arguments, environment: SubmitSupport.environment())
                #expect(again.exit.isCleanExit && again.stderr.contains("nothing to submit"), "\(again)")
                #expect(state.callCount("SubmitAIJob") == 1)
                let forced = try await sandbox.runVODHook(arguments + ["--force"], environment: SubmitSupport.environment())
                #expect(forced.exit.isCleanExit, "\(forced)")
                #expect(state.callCount("SubmitAIJob") == 2)
                #expect(SubmitSupport.submitted(dataDir).count == 2)
            }
        }

        @Test("credentials from Alibaba's credentials file, as the SDKs read it, when the environment has none")
        func credentialsFile() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let credentials = SubmitSupport.credentials
            let file = try sandbox.write(
                "credentials.ini",
                """
                [default]
                type = access_key
                access_key_id = \(credentials.accessKeyId)
                access_key_secret = \(credentials.accessKeySecret)
                """)
            let state = FakeVODState(credentials: [credentials])
            try await FakeVODServer.run(state) { endpoint in
                let result = try await sandbox.runVODHook(
                    ["submit", "--media-id", "m-1", "--endpoint", endpoint.url, "--data-dir", sandbox.file("data")],
                    environment: ["ALIBABA_CLOUD_CREDENTIALS_FILE": file])
                #expect(result.exit.isCleanExit, "\(result)")
                #expect(state.callCount("SubmitAIJob") == 1)
            }
        }

        @Test("on a terminal, a batch draws a progress bar in place")
        func progressBarOnTerminal() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let list = try sandbox.write("media.txt", SubmitSupport.mediaIds(40).joined(separator: "\n"))
            let state = FakeVODState(credentials: [SubmitSupport.credentials])
            try await FakeVODServer.run(state) { endpoint in
                // script(1) from util-linux gives the child a pseudo-terminal.
                let command = [
                    try ProcessBinary.path(), "submit", "--from", list, "--rate", "100", "--endpoint", endpoint.url,
                    "--data-dir", sandbox.file("data"),
                ].joined(separator: " ")
                let result = try await sandbox.run(
                    "/usr/bin/script", ["-qefc", command, "/dev/null"], environment: SubmitSupport.environment())
                #expect(result.exit.isCleanExit, "\(result)")
                #expect(result.stdout.contains("\r\u{1B}[2K[#"), "no bar redrawn in place\n\(result)")
                #expect(result.stdout.contains("40/40  100%"), "\(result)")
                #expect(!result.stdout.contains("progress: "), "plain lines are for logs, not terminals")
            }
        }

        @Test("1000 media under a rate limit, interrupted with Ctrl-C midway, resumed: each submitted exactly once")
        func batchInterruptResume() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let dataDir = sandbox.file("data")
            let media = SubmitSupport.mediaIds(1000)
            let list = try sandbox.write("media.txt", "# a batch\n" + media.joined(separator: "\n") + "\n")
            let state = FakeVODState(credentials: [SubmitSupport.credentials])
            try await FakeVODServer.run(state) { endpoint in
                let arguments = [
                    "submit", "--from", list, "--rate", "400", "--concurrency", "8",
                    "--endpoint", endpoint.url, "--data-dir", dataDir,
                ]
                let child = try SubmitSupport.start(sandbox, arguments, name: "batch")
                defer { child.forceKill() }
                let midway = await ProcessPoll.until(timeout: .seconds(30)) { state.jobCount >= 300 }
                #expect(midway)
                child.signal(SIGINT)
                let exit = try #require(await child.waitForExit(timeout: .seconds(30)))
                #expect(exit.status == 130, "\(exit)\n\(child.stderr)")
                #expect(child.stderr.contains("stopping") && child.stderr.contains("not started"), "\(child.stderr)")
                let firstRun = SubmitSupport.submitted(dataDir)
                #expect(firstRun.count == state.jobCount, "every job VOD created is recorded")
                #expect(firstRun.count < 1000)

                let resumed = try await sandbox.runVODHook(
                    arguments, environment: SubmitSupport.environment(), timeout: .seconds(60))
                #expect(resumed.exit.isCleanExit, "\(resumed)")
                #expect(resumed.stderr.contains("\(firstRun.count) media/type pair(s) already in the ledger"), "\(resumed)")
                let all = SubmitSupport.submitted(dataDir)
                #expect(all.count == 1000)
                #expect(Set(all.compactMap(\.mediaId)) == Set(media))
                #expect(state.jobCount == 1000, "VOD got each media once")
                #expect(all.allSatisfy { $0.outcome == .accepted })
            }
        }

        @Test(
            "a second Ctrl-C quits at once with 130 while a call hangs: its `sending` line is on disk, its late answer never recorded"
        )
        func secondInterruptQuits() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let dataDir = sandbox.file("data")
            let list = try sandbox.write("media.txt", SubmitSupport.mediaIds(3).joined(separator: "\n") + "\n")
            let state = FakeVODState(credentials: [SubmitSupport.credentials])
            // VOD creates the first job and sits on its answer: one Ctrl-C would wait for it and record it.
            state.script(.answerAfter(.seconds(20)))
            try await FakeVODServer.run(state) { endpoint in
                let arguments = [
                    "submit", "--from", list, "--concurrency", "1", "--api-timeout", "900",
                    "--endpoint", endpoint.url, "--data-dir", dataDir,
                ]
                let child = try SubmitSupport.start(sandbox, arguments, name: "submit")
                defer { child.forceKill() }
                #expect(await ProcessPoll.until(timeout: .seconds(20)) { state.jobCount == 1 })
                child.signal(SIGINT)
                #expect(await ProcessPoll.until(timeout: .seconds(20)) { child.stderr.contains("stopping") }, "\(child.stderr)")
                // Pressed again until it quits, as a user would: two signals that reach the process
                // before its handler ran are delivered as one (a loaded machine made this test flaky).
                var exit: ProcessExit?
                for _ in 0..<10 where exit == nil {
                    child.signal(SIGINT)
                    exit = await child.waitForExit(timeout: .seconds(1))
                }
                let status = try #require(exit, "still waiting for the hung call").status
                #expect(status == 130, "\(String(describing: exit))\n\(child.stderr)")
                let intent = try #require(SubmitSupport.intents(dataDir).first, "no `sending` line before the call")
                #expect(intent.mediaId == SubmitSupport.mediaIds(3)[0])
                #expect(SubmitSupport.submitted(dataDir).isEmpty)
            }
        }

        @Test("wrong credentials: refused, recorded with VOD's code and RequestId, no secret printed, exit 1")
        func wrongCredentials() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let dataDir = sandbox.file("data")
            let state = FakeVODState(credentials: [SubmitSupport.credentials])
            let wrong = ACSCredentials(accessKeyId: SubmitSupport.credentials.accessKeyId, accessKeySecret: "not-the-secret-9")
            try await FakeVODServer.run(state) { endpoint in
                let result = try await sandbox.runVODHook(
                    ["submit", "--media-id", "m-1", "--endpoint", endpoint.url, "--data-dir", dataDir],
                    environment: SubmitSupport.environment(wrong))
                #expect(result.exit.status == 1, "\(result)")
                #expect(result.stderr.contains("SignatureDoesNotMatch"), "\(result)")
                #expect(!result.stderr.contains("not-the-secret-9") && !result.stdout.contains("not-the-secret-9"))
                let line = try #require(SubmitSupport.submitted(dataDir).first)
                #expect(line.outcome == .refused && line.error?.code == "SignatureDoesNotMatch" && line.error?.requestId != nil)
                let ledger = String(decoding: ProcessLedger.bytes(dataDir), as: UTF8.self)
                #expect(!ledger.contains("not-the-secret-9") && !ledger.contains(SubmitSupport.credentials.accessKeySecret))
                // A rerun tries a refused submission again.
                let retry = try await sandbox.runVODHook(
                    ["submit", "--media-id", "m-1", "--endpoint", endpoint.url, "--data-dir", dataDir],
                    environment: SubmitSupport.environment())
                #expect(retry.exit.isCleanExit, "\(retry)")
            }
        }

        @Test("throttling, then success: retried with backoff and recorded once")
        func throttledThenAccepted() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let dataDir = sandbox.file("data")
            let state = FakeVODState(credentials: [SubmitSupport.credentials])
            state.throttleNext(2)
            try await FakeVODServer.run(state) { endpoint in
                let result = try await sandbox.runVODHook(
                    ["submit", "--media-id", "m-1", "--endpoint", endpoint.url, "--data-dir", dataDir],
                    environment: SubmitSupport.environment())
                #expect(result.exit.isCleanExit, "\(result)")
                #expect(state.calls.map(\.status) == [400, 400, 200])
                #expect(SubmitSupport.submitted(dataDir).map(\.outcome) == [.accepted])
            }
        }

        @Test("a submit whose answer never comes is recorded as unknown, skipped by a rerun, and linked to its callback by media")
        func timeoutUnknown() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let state = FakeVODState(credentials: [SubmitSupport.credentials])
            state.script(.delay(.seconds(3)))
            try await SubmitSupport.withServeAndFake(sandbox, state) { setup, _, endpoint, _ in
                let arguments = [
                    "submit", "--media-id", "m-slow", "--api-timeout", "1", "--endpoint", endpoint.url,
                    "--data-dir", setup.dataDir,
                ]
                let result = try await sandbox.runVODHook(arguments, environment: SubmitSupport.environment())
                #expect(result.exit.status == 1, "\(result)")
                #expect(result.stderr.contains("1 unknown"), "\(result)")
                let line = try #require(SubmitSupport.submitted(setup.dataDir).first)
                #expect(line.outcome == .unknown && line.jobId == nil)
                let rerun = try await sandbox.runVODHook(arguments, environment: SubmitSupport.environment())
                #expect(rerun.stderr.contains("1 with an unknown outcome"), "\(rerun)")
                // The job was created after all; its callback finds the unknown submission by media and type.
                let created = await ProcessPoll.until(timeout: .seconds(10)) { state.jobCount == 1 }
                #expect(created)
                let jobs = try await sandbox.runVODHook(["jobs", "--status", "unknown", "--json", "--data-dir", setup.dataDir])
                #expect(jobs.stdout.contains(#""state":"unknown""#), "\(jobs)")
                let jobId = try #require(state.allJobIds.first)
                #expect(await state.complete(jobId, status: "success") == [200])
                let event = try #require(ProcessLedger.entries(setup.dataDir).last)
                #expect(event.submissionSeq == line.seq)
                let after = try await sandbox.runVODHook(["jobs", "--json", "--data-dir", setup.dataDir])
                #expect(
                    after.stdout.contains(#""job_id":"\#(jobId)""#) && after.stdout.contains(#""state":"success""#), "\(after)")
            }
        }

        @Test(
            "a proxy's 502 after VOD created the job: exactly one call, recorded unknown, a rerun calls nothing, the callback links to it"
        )
        func proxyErrorAfterCreate() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let state = FakeVODState(credentials: [SubmitSupport.credentials])
            state.script(.answeredByProxy(502))
            try await SubmitSupport.withServeAndFake(sandbox, state) { setup, _, endpoint, _ in
                let arguments = ["submit", "--media-id", "m-502", "--endpoint", endpoint.url, "--data-dir", setup.dataDir]
                let result = try await sandbox.runVODHook(arguments, environment: SubmitSupport.environment())
                #expect(result.exit.status == 1, "\(result)")
                #expect(result.stderr.contains("1 unknown"), "\(result)")
                #expect(state.callCount("SubmitAIJob") == 1 && state.jobCount == 1, "billed \(state.jobCount) jobs")
                let line = try #require(SubmitSupport.submitted(setup.dataDir).first)
                #expect(line.outcome == .unknown && line.jobId == nil && line.error?.httpStatus == 502)
                let rerun = try await sandbox.runVODHook(arguments, environment: SubmitSupport.environment())
                #expect(rerun.stderr.contains("1 with an unknown outcome"), "\(rerun)")
                #expect(state.callCount("SubmitAIJob") == 1, "the rerun submitted again")
                let jobId = try #require(state.allJobIds.first)
                #expect(await state.complete(jobId, status: "success") == [200])
                let event = try #require(ProcessLedger.entries(setup.dataDir).last)
                #expect(event.kind == .event && event.submissionSeq == line.seq)
            }
        }

        @Test(
            "submit killed (SIGKILL) after VOD created the job, before its answer: the `sending` line stays, a rerun submits nothing, the callback links to it"
        )
        func killedDuringTheCall() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let state = FakeVODState(credentials: [SubmitSupport.credentials])
            state.script(.answerAfter(.seconds(8)))
            try await SubmitSupport.withServeAndFake(sandbox, state) { setup, _, endpoint, _ in
                let arguments = ["submit", "--media-id", "m-killed", "--endpoint", endpoint.url, "--data-dir", setup.dataDir]
                let child = try ProcessChild(
                    executable: try ProcessBinary.path(), arguments: arguments, directory: sandbox.path,
                    environment: ProcessBinary.environment(SubmitSupport.environment()),
                    stdoutPath: sandbox.file("submit.out"), stderrPath: sandbox.file("submit.err"))
                defer { child.forceKill() }
                // VOD has created (and will bill) the job; its answer has not come back yet.
                #expect(await ProcessPoll.until(timeout: .seconds(20)) { state.jobCount == 1 })
                child.signal(SIGKILL)
                _ = await child.waitForExit(timeout: .seconds(10))

                let intent = try #require(SubmitSupport.intents(setup.dataDir).first, "no `sending` line before the call")
                #expect(intent.mediaId == "m-killed" && intent.aiType == "AIVideoTag" && intent.jobId == nil)
                #expect(SubmitSupport.submitted(setup.dataDir).isEmpty)
                let unknown = try await sandbox.runVODHook(["jobs", "--status", "unknown", "--json", "--data-dir", setup.dataDir])
                #expect(unknown.stdout.contains(#""media_id":"m-killed""#), "\(unknown)")

                let rerun = try await sandbox.runVODHook(arguments, environment: SubmitSupport.environment())
                #expect(rerun.exit.isCleanExit, "\(rerun)")
                #expect(rerun.stderr.contains("1 with an unknown outcome"), "\(rerun)")
                #expect(
                    state.callCount("SubmitAIJob") == 0 && state.receivedCount == 1,
                    "the rerun submitted (and billed) the media again")

                // The job's callback finds the `sending` line by media and type.
                let jobId = try #require(state.allJobIds.first)
                #expect(await state.complete(jobId, status: "success") == [200])
                let event = try #require(ProcessLedger.entries(setup.dataDir).last)
                #expect(event.kind == .event && event.jobId == jobId && event.submissionSeq == intent.seq)
                let jobs = try await sandbox.runVODHook(["jobs", "--json", "--data-dir", setup.dataDir])
                #expect(jobs.stdout.contains(#""job_id":"\#(jobId)""#) && jobs.stdout.contains(#""state":"success""#), "\(jobs)")
            }
        }

        @Test("a malformed answer to a submit is an unknown outcome, not a refusal")
        func malformedAnswer() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let dataDir = sandbox.file("data")
            let state = FakeVODState(credentials: [SubmitSupport.credentials])
            state.script(.malformedBody)
            try await FakeVODServer.run(state) { endpoint in
                let result = try await sandbox.runVODHook(
                    ["submit", "--media-id", "m-1", "--endpoint", endpoint.url, "--data-dir", dataDir],
                    environment: SubmitSupport.environment())
                #expect(result.exit.status == 1, "\(result)")
                #expect(SubmitSupport.submitted(dataDir).map(\.outcome) == [.unknown])
            }
        }

        @Test("a data dir held by a writer without a control socket: submit says so and sends nothing")
        func heldWithoutControlSocket() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let dataDir = sandbox.file("data")
            try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
            // flock(1) from util-linux holds the lock as another writer would.
            let holder = try ProcessChild(
                executable: "/usr/bin/flock", arguments: [dataDir + "/vodhook.lock", "sleep", "30"], directory: sandbox.path,
                environment: ProcessBinary.environment(), stdoutPath: sandbox.file("flock.out"),
                stderrPath: sandbox.file("flock.err"))
            defer { holder.forceKill() }
            let state = FakeVODState(credentials: [SubmitSupport.credentials])
            try await FakeVODServer.run(state) { endpoint in
                let held = await ProcessPoll.until(timeout: .seconds(5)) {
                    FileManager.default.fileExists(atPath: dataDir + "/vodhook.lock")
                }
                #expect(held)
                try await Task.sleep(for: .milliseconds(200))
                let result = try await sandbox.runVODHook(
                    ["submit", "--media-id", "m-1", "--endpoint", endpoint.url, "--data-dir", dataDir],
                    environment: SubmitSupport.environment())
                #expect(result.exit.status == 1, "\(result)")
                #expect(
                    result.stderr.contains("is held by another vodhook") && result.stderr.contains("no control socket"),
                    "\(result)")
                #expect(state.receivedCount == 0)
            }
        }

        @Test("a ledger that cannot take the `sending` line (file-size limit): nothing is sent, submit says why, exits 1")
        func ledgerFullBeforeTheCall() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let dataDir = sandbox.file("data")
            let state = FakeVODState(credentials: [SubmitSupport.credentials])
            // A 2 KiB soft limit and a Config bigger than that: not even the `sending` line fits.
            let result = try await Self.submitUnderLimit(sandbox, state, bytes: 2048, configBytes: 3000, dataDir: dataDir)
            #expect(!result.exit.signaled, "killed by SIGXFSZ instead of reporting\n\(result)")
            #expect(result.exit.status == 1, "\(result)")
            #expect(
                result.stderr.contains("the ledger did not take the last lines") && result.stderr.contains("not submitted"),
                "\(result)")
            #expect(state.callCount("SubmitAIJob") == 0 && state.jobCount == 0, "a job was submitted that could not be recorded")
            #expect(ProcessLedger.entries(dataDir).isEmpty)
        }

        @Test(
            "a ledger that takes the `sending` line but not the result: submit is not killed, names the job VOD created, exits 1")
        func ledgerFullAfterTheCall() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let dataDir = sandbox.file("data")
            let state = FakeVODState(credentials: [SubmitSupport.credentials])
            // 4 KiB: the `sending` line (the Config plus ~300 bytes) fits, the result after it does not.
            let result = try await Self.submitUnderLimit(sandbox, state, bytes: 4096, configBytes: 2500, dataDir: dataDir)
            #expect(!result.exit.signaled, "killed by SIGXFSZ instead of reporting\n\(result)")
            #expect(result.exit.status == 1, "\(result)")
            let job = try #require(state.allJobIds.first, "VOD created no job\n\(result)")
            #expect(result.stderr.contains("NOT RECORDED: media m-1 type AIVideoTag job \(job)"), "\(result)")
            #expect(result.stderr.contains("the ledger did not take the last lines"), "\(result)")
            #expect(SubmitSupport.submitted(dataDir).isEmpty)
            // The `sending` line stays: a rerun treats it as unknown and does not submit the media again.
            #expect(SubmitSupport.intents(dataDir).count == 1)
            try await FakeVODServer.run(state) { endpoint in
                let rerun = try await sandbox.runVODHook(
                    ["submit", "--media-id", "m-1", "--endpoint", endpoint.url, "--data-dir", dataDir],
                    environment: SubmitSupport.environment())
                #expect(rerun.stderr.contains("1 with an unknown outcome"), "\(rerun)")
            }
            #expect(state.callCount("SubmitAIJob") == 1)
        }

        /// `submit --media-id m-1` with a Config of about `configBytes`, under a file-size limit of
        /// `bytes` (a multiple of 512: /bin/sh's `ulimit -f` counts 512-byte blocks).
        private static func submitUnderLimit(
            _ sandbox: ProcessSandbox, _ state: FakeVODState, bytes: Int, configBytes: Int, dataDir: String
        ) async throws -> ProcessCLIResult {
            let config = #"{"AIVideoTag":{"AnalyseTypes":"ASR","Note":""# + String(repeating: "x", count: configBytes) + #""}}"#
            return try await FakeVODServer.run(state) { endpoint in
                try await sandbox.run(
                    "/bin/sh",
                    [
                        "-c", "ulimit -S -f \(bytes / 512); exec \"$0\" \"$@\"", try ProcessBinary.path(), "submit", "--media-id",
                        "m-1",
                        "--ai-config", config, "--endpoint", endpoint.url, "--data-dir", dataDir,
                    ],
                    environment: SubmitSupport.environment())
            }
        }

        @Test("a bad batch file is refused with its line number before anything is submitted")
        func badInput() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let list = try sandbox.write(
                "media.jsonl",
                """
                {"media_id": "m-1", "types": "AIVideoTag"}
                {"media_id": "m-2", "types": ["AIVideoTag", "AIFaceMagic"]}
                """)
            let state = FakeVODState(credentials: [SubmitSupport.credentials])
            try await FakeVODServer.run(state) { endpoint in
                let result = try await sandbox.runVODHook(
                    ["submit", "--from", list, "--endpoint", endpoint.url, "--data-dir", sandbox.file("data")],
                    environment: SubmitSupport.environment())
                #expect(result.exit.status == 1)
                #expect(result.stderr.contains("line 2: unknown AI type \"AIFaceMagic\""), "\(result)")
                #expect(state.receivedCount == 0)
            }
            let noCredentials = try await sandbox.runVODHook(["submit", "--media-id", "m-1", "--data-dir", sandbox.file("data")])
            #expect(noCredentials.exit.status == 1)
            #expect(noCredentials.stderr.contains("ALIBABA_CLOUD_ACCESS_KEY_ID is not set"), "\(noCredentials)")
        }
    }
}
