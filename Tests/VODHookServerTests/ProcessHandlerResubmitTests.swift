import AsyncHTTPClient
import Foundation
import Testing
import VODHook
import VODHookCore

extension ProcessTests {
    /// `serve` running a `resubmit` handler against the fake VOD: its endpoint through `--endpoint`,
    /// the AccessKey through the environment, callbacks signed as VOD signs them.
    @Suite("resubmit handlers in the real binary", .serialized)
    struct ProcessHandlerResubmitTests {
        typealias Dispatch = ProcessHandlerDispatchTests

        /// A running serve with a `resubmit` handler `retry` for failed AI results, and the fake
        /// VOD sending its callbacks to it; the first job is submitted with `vodhook submit`.
        static func withServe(
            maxAttempts: Int = 3,
            _ body:
                @Sendable (ProcessSandbox, ProcessServeSetup, ProcessServer, FakeVODState, String, HTTPClient) async throws ->
                Void
        ) async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            let config = try sandbox.write(
                "vodhook.yaml",
                """
                handlers:
                  - name: retry
                    match: { event: VideoAIComplete, status: fail }
                    resubmit: { max_attempts: \(maxAttempts), backoff: 1s }
                """)
            let state = FakeVODState(credentials: [SubmitSupport.credentials])
            try await ProcessHTTP.withClient { client in
                try await FakeVODServer.run(state) { endpoint in
                    let server = try await sandbox.startServer(
                        setup.arguments(["--config", config, "--endpoint", endpoint.url]),
                        dataDir: setup.dataDir, environment: SubmitSupport.environment(), client: client)
                    defer { server.child.forceKill() }
                    state.sendCallbacks(
                        to: FakeVODCallbackTarget(
                            deliverTo: server.url("/vod/callback"), signedURL: ProcessServeSetup.publicURL, key: setup.signer.key)
                    )
                    let submit = try await sandbox.runVODHook(
                        ["submit", "--media-id", "m-1", "--endpoint", endpoint.url, "--data-dir", setup.dataDir],
                        environment: SubmitSupport.environment())
                    #expect(submit.exit.isCleanExit, "\(submit)")
                    let first = try #require(SubmitSupport.submitted(setup.dataDir).first?.jobId)
                    try await body(sandbox, setup, server, state, first, client)
                    #expect(!server.stderr.contains(SubmitSupport.credentials.accessKeySecret))
                    #expect(try await server.terminate().isCleanExit)
                    #expect(try await setup.verify().exit.isCleanExit)
                }
            }
        }

        static func eventSeq(_ dataDir: String, job: String, status: String) -> UInt64? {
            ProcessLedger.entries(dataDir).first { $0.kind == .event && $0.jobId == job && $0.status == status }?.seq
        }

        @Test(
            "fail → serve resubmits (sending, then the result, in the chain) → success: vodhook job shows one chain ending in success"
        )
        func failThenSuccess() async throws {
            try await Self.withServe { sandbox, setup, server, state, first, _ in
                #expect(await state.complete(first, status: "fail") == [200])
                let resubmitted = await ProcessPoll.until(timeout: .seconds(30)) {
                    SubmitSupport.submitted(setup.dataDir).count == 2
                }
                #expect(resubmitted, "\(server.stderr)")
                #expect(state.callCount("SubmitAIJob") == 2 && state.callCount("ListAIJob") == 1)
                let lines = ProcessLedger.entries(setup.dataDir).filter { $0.kind == .submitted && $0.resubmitOf != nil }
                #expect(lines.map(\.outcome) == [.sending, .accepted], "\(lines)")
                #expect(lines.allSatisfy { $0.chain == first && $0.attempt == 2 && $0.resubmitOf == first }, "\(lines)")
                let second = try #require(lines.last?.jobId)
                #expect(state.job(second)?.mediaId == "m-1")
                let failSeq = try #require(Self.eventSeq(setup.dataDir, job: first, status: "fail"))
                let handled = await ProcessPoll.until(timeout: .seconds(10)) {
                    Dispatch.handled(setup.dataDir, seq: failSeq).map(\.result) == [.ok]
                }
                #expect(handled, "\(Dispatch.outcomes(setup.dataDir))")

                #expect(await state.complete(second, status: "success") == [200])
                let success = try #require(ProcessLedger.entries(setup.dataDir).first { $0.kind == .event && $0.jobId == second })
                #expect(success.submissionSeq != nil, "correlation follows the chain")
                let shown = try await sandbox.runVODHook(["job", first, "--data-dir", setup.dataDir])
                #expect(shown.exit.isCleanExit, "\(shown)")
                #expect(shown.stdout.contains("chain \(first)  2 jobs  state success"), "\(shown)")
                #expect(shown.stdout.contains("job \(second)  AIVideoTag  media m-1  state success  attempt 2"), "\(shown)")
                #expect(state.callCount("SubmitAIJob") == 2, "a success is not resubmitted")
                #expect(Dispatch.outcomes(setup.dataDir).allSatisfy { $0.kind != .dead })
            }
        }

        @Test("a forged fail for a job ListAIJob reports as success: handled, and no second SubmitAIJob")
        func forgedFail() async throws {
            try await Self.withServe { _, setup, server, state, first, client in
                state.setStatus("success", of: first)
                let forged = try await setup.signer.post(client, server, body: ProcessEvent.body(jobId: first, status: "fail"))
                let seq = try #require(forged.seq, "\(forged)")
                let handled = await ProcessPoll.until(timeout: .seconds(20)) {
                    !Dispatch.handled(setup.dataDir, seq: seq).isEmpty
                }
                #expect(handled, "\(server.stderr)")
                #expect(Dispatch.handled(setup.dataDir, seq: seq).map(\.result) == [.ok])
                #expect(state.callCount("ListAIJob") == 1 && state.callCount("SubmitAIJob") == 1)
                #expect(SubmitSupport.submitted(setup.dataDir).count == 1)
                #expect(server.stderr.contains("ListAIJob does not confirm the failure"), "\(server.stderr)")
            }
        }

        @Test("a job that always fails: resubmitted up to max_attempts jobs, then the chain is given up, once")
        func givenUp() async throws {
            try await Self.withServe(maxAttempts: 2) { sandbox, setup, server, state, first, _ in
                #expect(await state.complete(first, status: "fail") == [200])
                let resubmitted = await ProcessPoll.until(timeout: .seconds(30)) {
                    SubmitSupport.submitted(setup.dataDir).count == 2
                }
                #expect(resubmitted, "\(server.stderr)")
                let second = try #require(SubmitSupport.submitted(setup.dataDir).last?.jobId)
                #expect(await state.complete(second, status: "fail") == [200])
                let gaveUp = await ProcessPoll.until(timeout: .seconds(30)) {
                    ProcessLedger.entries(setup.dataDir).contains { $0.kind == .givenUp }
                }
                #expect(gaveUp, "\(server.stderr)")
                let givenUp = ProcessLedger.entries(setup.dataDir).filter { $0.kind == .givenUp }
                #expect(givenUp.count == 1 && givenUp.first?.jobId == second && givenUp.first?.chain == first, "\(givenUp)")
                #expect(state.callCount("SubmitAIJob") == 2)
                let shown = try await sandbox.runVODHook(["job", first, "--data-dir", setup.dataDir])
                #expect(shown.stdout.contains("chain \(first)  2 jobs  state given_up"), "\(shown)")
            }
        }
    }
}
