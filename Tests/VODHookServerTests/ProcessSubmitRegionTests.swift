import Foundation
import Testing
import VODHook
import VODHookCore

extension ProcessTests {
    @Suite("submit: job types where VOD offers them", .serialized)
    struct ProcessSubmitRegionTests {
        @Test("a type outside its regions is refused before any call or ledger line; --any-region submits")
        func refusedBeforeAnyCall() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let dataDir = sandbox.file("data")
            let state = FakeVODState(credentials: [SubmitSupport.credentials])
            try await FakeVODServer.run(state) { endpoint in
                let arguments = [
                    "submit", "--media-id", "m-1", "--types", "AIMediaDNA,AIVideoTag", "--region", "ap-southeast-1",
                    "--endpoint", endpoint.url, "--data-dir", dataDir,
                ]
                let refused = try await sandbox.runVODHook(arguments, environment: SubmitSupport.environment())
                #expect(!refused.exit.isCleanExit, "\(refused)")
                #expect(
                    refused.stderr.contains("AIVideoTag") && refused.stderr.contains("ap-southeast-1")
                        && !refused.stderr.contains("AIMediaDNA in"), "\(refused)")
                #expect(state.receivedCount == 0)
                #expect(ProcessLedger.bytes(dataDir).isEmpty)

                let forced = try await sandbox.runVODHook(arguments + ["--any-region"], environment: SubmitSupport.environment())
                #expect(forced.exit.isCleanExit, "\(forced)")
                #expect(state.callCount("SubmitAIJob") == 1)
                #expect(SubmitSupport.submitted(dataDir).count == 2)
            }
        }

        @Test("where both are offered, nothing is refused")
        func offered() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let state = FakeVODState(credentials: [SubmitSupport.credentials])
            try await FakeVODServer.run(state) { endpoint in
                let result = try await sandbox.runVODHook(
                    [
                        "submit", "--media-id", "m-1", "--types", "AIMediaDNA,AIVideoTag", "--region", "cn-beijing",
                        "--endpoint", endpoint.url, "--data-dir", sandbox.file("data"),
                    ],
                    environment: SubmitSupport.environment())
                #expect(result.exit.isCleanExit, "\(result)")
                #expect(state.callCount("SubmitAIJob") == 1)
            }
        }
    }
}
