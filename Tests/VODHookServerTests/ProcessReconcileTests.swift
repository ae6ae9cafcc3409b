import AsyncHTTPClient
import Foundation
import Testing
import VODHook
import VODHookCore

extension ProcessTests {
    @Suite("reconcile as a child process", .serialized)
    struct ProcessReconcileTests {
        @Test(
            "lost callbacks: reconcile asks ListAIJob about pending jobs, records the finished ones as poll events, and a late callback is a duplicate"
        )
        func reconcileThroughServer() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let state = FakeVODState(credentials: [SubmitSupport.credentials])
            try await SubmitSupport.withServeAndFake(sandbox, state, callbacks: false) { setup, server, endpoint, _ in
                let media = try sandbox.write("media.txt", "m-ok\nm-fail\nm-running\n")
                let submit = try await sandbox.runVODHook(
                    ["submit", "--from", media, "--endpoint", endpoint.url, "--data-dir", setup.dataDir],
                    environment: SubmitSupport.environment())
                #expect(submit.exit.isCleanExit, "\(submit)")
                let jobs = Dictionary(
                    uniqueKeysWithValues: SubmitSupport.submitted(setup.dataDir).map { ($0.mediaId ?? "", $0.jobId ?? "") })
                let ok = try #require(jobs["m-ok"])
                let failed = try #require(jobs["m-fail"])
                let running = try #require(jobs["m-running"])
                // The jobs end, but no callback reaches vodhook (no target configured: VOD gave up).
                state.setStatus("success", of: ok)
                state.setStatus("fail", of: failed)

                let young = try await sandbox.runVODHook(
                    ["reconcile", "--endpoint", endpoint.url, "--data-dir", setup.dataDir],
                    environment: SubmitSupport.environment())
                #expect(young.exit.isCleanExit, "\(young)")
                #expect(young.stdout.contains("asked about 0 pending job(s)"), "jobs younger than 10m are left alone\n\(young)")
                #expect(state.callCount("ListAIJob") == 0)

                let round = try await sandbox.runVODHook(
                    ["reconcile", "--older-than", "0s", "--endpoint", endpoint.url, "--data-dir", setup.dataDir],
                    environment: SubmitSupport.environment())
                #expect(round.exit.isCleanExit, "\(round)")
                #expect(
                    round.stdout.contains(
                        "asked about 3 pending job(s): 2 finished and recorded, 0 already recorded, 1 still running"), "\(round)")
                let polled = ProcessLedger.entries(setup.dataDir).filter { $0.kind == .event }
                #expect(polled.count == 2)
                #expect(polled.allSatisfy { $0.source == "poll" && $0.submissionSeq != nil })
                #expect(Set(polled.compactMap(\.jobId)) == [ok, failed])
                #expect(polled.first { $0.jobId == failed }?.status == "fail")

                let states = try await sandbox.runVODHook(["jobs", "--json", "--data-dir", setup.dataDir])
                #expect(
                    states.stdout.contains(
                        #""job_id":"\#(running)","type":"AIVideoTag","media_id":"m-running","state":"pending""#), "\(states)")
                #expect(
                    states.stdout.contains(#""job_id":"\#(ok)","type":"AIVideoTag","media_id":"m-ok","state":"success""#),
                    "\(states)")

                let again = try await sandbox.runVODHook(
                    ["reconcile", "--older-than", "0s", "--endpoint", endpoint.url, "--data-dir", setup.dataDir],
                    environment: SubmitSupport.environment())
                #expect(
                    again.stdout.contains("asked about 1 pending job(s)"), "finished jobs are not asked about again\n\(again)")

                // The callback VOD retried late: same dedup key, answered 200, nothing written.
                state.sendCallbacks(
                    to: FakeVODCallbackTarget(
                        deliverTo: server.url("/vod/callback"), signedURL: ProcessServeSetup.publicURL, key: setup.signer.key))
                let lines = ProcessLedger.entries(setup.dataDir).count
                #expect(await state.complete(ok, status: "success") == [200])
                #expect(ProcessLedger.entries(setup.dataDir).count == lines)
            }
        }

        @Test("Ctrl-C while ListAIJob is under way: the round finishes, VOD's answer is recorded, exit 130, the ledger verifies")
        func interruptedRound() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let dataDir = sandbox.file("data")
            let state = FakeVODState(credentials: [SubmitSupport.credentials])
            try await FakeVODServer.run(state) { endpoint in
                let submit = try await sandbox.runVODHook(
                    ["submit", "--media-id", "m-1", "--endpoint", endpoint.url, "--data-dir", dataDir],
                    environment: SubmitSupport.environment())
                #expect(submit.exit.isCleanExit, "\(submit)")
                let job = try #require(SubmitSupport.submitted(dataDir).first?.jobId)
                state.setStatus("success", of: job)
                // ListAIJob answers late, so the Ctrl-C lands while the round waits for it.
                state.script(.delay(.seconds(3)))
                let child = try SubmitSupport.start(
                    sandbox,
                    [
                        "reconcile", "--older-than", "0s", "--api-timeout", "60", "--endpoint", endpoint.url, "--data-dir",
                        dataDir,
                    ],
                    name: "reconcile")
                defer { child.forceKill() }
                #expect(await ProcessPoll.until(timeout: .seconds(20)) { state.receivedCount == 2 })
                child.signal(SIGINT)
                let exit = try #require(await child.waitForExit(timeout: .seconds(30)))
                #expect(exit == ProcessExit(status: 130, signaled: false), "\(exit)\n\(child.stderr)")
                #expect(child.stderr.contains("stopping"), "\(child.stderr)")
                #expect(child.stdout.contains("1 finished and recorded"), "\(child.stdout)")
                let polled = ProcessLedger.entries(dataDir).filter { $0.kind == .event }
                #expect(polled.map(\.jobId) == [job] && polled.allSatisfy { $0.source == "poll" })
                let verify = try await sandbox.runVODHook(["ledger", "verify", "--data-dir", dataDir])
                #expect(verify.exit.isCleanExit, "\(verify)")
            }
        }

        @Test("serve --reconcile-every polls on its own; without credentials it refuses to start")
        func periodic() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            let state = FakeVODState(credentials: [SubmitSupport.credentials])
            try await ProcessHTTP.withClient { client in
                try await FakeVODServer.run(state) { endpoint in
                    let refused = try await sandbox.runVODHook(
                        setup.arguments(["--reconcile-every", "1s", "--endpoint", endpoint.url]))
                    #expect(refused.exit.status == 1, "\(refused)")
                    #expect(refused.stderr.contains("--reconcile-every: ALIBABA_CLOUD_ACCESS_KEY_ID is not set"), "\(refused)")

                    let submit = try await sandbox.runVODHook(
                        ["submit", "--media-id", "m-1", "--endpoint", endpoint.url, "--data-dir", setup.dataDir],
                        environment: SubmitSupport.environment())
                    #expect(submit.exit.isCleanExit, "\(submit)")
                    let job = try #require(SubmitSupport.submitted(setup.dataDir).first?.jobId)
                    state.setStatus("success", of: job)
                    let server = try await sandbox.startServer(
                        setup.arguments(["--reconcile-every", "1s", "--reconcile-older-than", "1s", "--endpoint", endpoint.url]),
                        dataDir: setup.dataDir, environment: SubmitSupport.environment(), client: client)
                    defer { server.child.forceKill() }
                    let polled = await ProcessPoll.until(timeout: .seconds(15)) {
                        ProcessLedger.entries(setup.dataDir).contains {
                            $0.kind == .event && $0.source == "poll" && $0.jobId == job
                        }
                    }
                    #expect(polled, "\(server.stderr)")
                    // The round logs after its lines are durable.
                    let logged = await ProcessPoll.until(timeout: .seconds(5)) {
                        server.stderr.contains("reconciled pending jobs")
                    }
                    #expect(logged, "\(server.stderr)")
                    #expect(!server.stderr.contains(SubmitSupport.credentials.accessKeySecret))
                    #expect(try await server.terminate().isCleanExit)
                }
            }
        }
    }
}
