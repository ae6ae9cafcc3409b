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
    /// A ledger that cannot be written, made real with RLIMIT_FSIZE on the child (the server
    /// ignores SIGXFSZ, so a write past the limit fails with EFBIG), and lifted with prlimit.
    @Suite("an unwritable ledger under the real binary", .serialized)
    struct ProcessFailureTests {
        /// 8 KiB (dash counts 512-byte blocks). The limit binds serve's stderr file too: with less,
        /// start-up's own log lines can reach it and the `listening` notice is cut short.
        static let fileLimit = "ulimit -S -f 16"

        /// `prlimit` (util-linux), which raises the limit of the running server.
        static func prlimit() -> String? {
            ["/usr/bin/prlimit", "/bin/prlimit", "/usr/sbin/prlimit"].first { FileManager.default.isExecutableFile(atPath: $0) }
        }

        static let missingPrlimit: Comment = "prlimit is missing: `apt-get install -y util-linux` provides it"

        /// A padding for `jobId`'s event so that its ledger line, as line `seq`, is exactly `length` bytes.
        static func pad(jobId: String, seq: UInt64, lineLength length: Int) throws -> Int {
            let withOne = try ProcessEvent.ledgerLineLength(ProcessEvent.body(jobId: jobId, pad: 1), seq: seq)
            let pad = 1 + length - withOne
            try #require(pad >= 1, "a line of \(length) bytes is too short for an event")
            try #require(try ProcessEvent.ledgerLineLength(ProcessEvent.body(jobId: jobId, pad: pad), seq: seq) == length)
            return pad
        }

        static func readyz(_ client: HTTPClient, _ server: ProcessServer) async -> Int {
            (try? await ProcessHTTP.get(client, server.url("/readyz")).status) ?? -1
        }

        @Test(
            "a write refused by the file-size limit answers 503, /readyz 503 and /healthz 200, records nothing, and recovers once the limit is lifted"
        )
        func fileSizeLimit() async throws {
            let prlimit = try #require(Self.prlimit(), Self.missingPrlimit)
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            try await ProcessHTTP.withClient { client in
                // Soft limit only, so prlimit may raise it again without privileges.
                let server = try await setup.start(client: client, shellPrefix: Self.fileLimit)
                defer { server.child.forceKill() }
                let limit = try #require(try server.fileSizeLimit(), "the server runs without a file-size limit")

                // The first line fills the file to exactly the limit: not one more byte fits,
                // so the writer's one-byte probe keeps failing too.
                let fits = ProcessEvent.jobId("fits")
                let pad = try Self.pad(jobId: fits, seq: 1, lineLength: limit)
                let first = try await setup.send(client, server, jobId: fits, pad: pad)
                #expect(first.status == 200, "\(first)")
                try #require(
                    ProcessLedger.bytes(setup.dataDir).count == limit, "the first line does not fill the file to the limit")

                let blocked = ProcessEvent.jobId("blocked")
                let refused = try await setup.send(client, server, jobId: blocked)
                #expect(refused.status == 503, "\(refused)")
                #expect(await Self.readyz(client, server) == 503)
                #expect(try await ProcessHTTP.get(client, server.url("/healthz")).status == 200)
                #expect(server.child.isRunning)
                #expect(ProcessLedger.entries(setup.dataDir).map(\.jobId) == [fits])
                let verifyFailing = try await setup.verify()
                #expect(verifyFailing.exit.isCleanExit, "\(verifyFailing)")

                let lifted = try await sandbox.run(prlimit, ["--pid", "\(server.pid)", "--fsize=unlimited"])
                try #require(lifted.exit.isCleanExit, "prlimit: \(lifted)")
                #expect(try server.fileSizeLimit() == nil)
                // The writer probes once a second while failing.
                let ready = await ProcessPoll.until(timeout: .seconds(10), interval: .milliseconds(100)) {
                    await Self.readyz(client, server) == 200
                }
                #expect(ready, "/readyz still not 200 after the limit was lifted\n\(server.stderr)")

                let retried = try await setup.send(client, server, jobId: blocked)
                #expect(retried.status == 200, "\(retried)")
                #expect(!retried.isDuplicate, "\(retried)")
                // Seq 2 went to the refused batch (a `tail -F` may have seen its line before the cut): never reused.
                #expect(retried.seq == 3, "\(retried)")
                let entries = ProcessLedger.entries(setup.dataDir)
                #expect(entries.map(\.jobId) == [fits, blocked])
                #expect(entries.map(\.seq) == [1, 3])
                let verify = try await setup.verify()
                #expect(verify.exit.isCleanExit, "\(verify)")
                #expect(try await server.terminate().isCleanExit)
            }
        }

        @Test("the seq of a refused batch stays retired across a restart before the next recorded event")
        func refusedSeqSurvivesRestart() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            try await ProcessHTTP.withClient { client in
                let limited = try await setup.start(client: client, shellPrefix: Self.fileLimit)
                defer { limited.child.forceKill() }
                let limit = try #require(try limited.fileSizeLimit(), "the server runs without a file-size limit")
                let fits = ProcessEvent.jobId("fits")
                let first = try await setup.send(
                    client, limited, jobId: fits, pad: try Self.pad(jobId: fits, seq: 1, lineLength: limit))
                #expect(first.status == 200, "\(first)")
                let refused = try await setup.send(client, limited, jobId: ProcessEvent.jobId("refused"))
                #expect(refused.status == 503, "\(refused)")
                #expect(try await limited.terminate().isCleanExit)

                let server = try await setup.start(client: client)
                defer { server.child.forceKill() }
                let next = try await setup.send(client, server, jobId: ProcessEvent.jobId("next"))
                #expect(next.status == 200, "\(next)")
                #expect(next.seq == 3, "seq 2 went to the refused batch: \(next)")
                #expect(ProcessLedger.entries(setup.dataDir).map(\.seq) == [1, 3])
                let verify = try await setup.verify()
                #expect(verify.exit.isCleanExit, "\(verify)")
                #expect(try await server.terminate().isCleanExit)
            }
        }

        @Test("/readyz answers 200 only when a whole event line can be written again, not when one byte can")
        func readyMeansAnEventFits() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            try await ProcessHTTP.withClient { client in
                let server = try await setup.start(client: client, shellPrefix: Self.fileLimit)
                defer { server.child.forceKill() }
                let limit = try #require(try server.fileSizeLimit(), "the server runs without a file-size limit")

                // 64 bytes of room stay under the limit: a probe byte fits, an event line does not.
                let fits = ProcessEvent.jobId("fits")
                let first = try await setup.send(
                    client, server, jobId: fits, pad: try Self.pad(jobId: fits, seq: 1, lineLength: limit - 64))
                #expect(first.status == 200, "\(first)")
                let good = ProcessLedger.bytes(setup.dataDir)

                let blocked = ProcessEvent.jobId("blocked")
                let refused = try await setup.send(client, server, jobId: blocked)
                #expect(refused.status == 503, "\(refused)")
                // The short write that reached the file is cut back: no partial line.
                #expect(ProcessLedger.bytes(setup.dataDir) == good, "a partial line of the refused event is in the ledger")
                let verify = try await setup.verify()
                #expect(verify.exit.isCleanExit, "\(verify)")

                // The writer probes once a second; give it several chances to claim readiness.
                let claimsReady = await ProcessPoll.until(timeout: .milliseconds(3500), interval: .milliseconds(100)) {
                    await Self.readyz(client, server) == 200
                }
                if claimsReady {
                    let retried = try await setup.send(client, server, jobId: blocked)
                    #expect(retried.status == 200, "/readyz answered 200, yet the event still gets \(retried)")
                }
                #expect(ProcessLedger.bytes(setup.dataDir) == good)
            }
        }
    }
}
