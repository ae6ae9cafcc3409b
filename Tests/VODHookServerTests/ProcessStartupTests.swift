import AsyncHTTPClient
import Foundation
import NIOCore
import Testing
import VODHookCore

extension ProcessTests {
    /// A start-up that reads a long ledger: the callback URL is up from the first moment.
    @Suite("serve's start-up over a long ledger", .serialized)
    struct ProcessStartupTests {
        /// Enough lines that reading them takes seconds in a debug build (the tests' binary),
        /// against the milliseconds between the `listening` notice and the first request.
        static let historyLines: UInt64 = 60_000

        /// The JobId of the submission on line `seq` of the history: 32 hex digits, as VOD's.
        static func jobId(_ seq: UInt64) -> String {
            let hex = String(seq, radix: 16)
            return String(repeating: "0", count: 32 - hex.count) + hex
        }

        /// A rotated file of `count` accepted submissions, as `submit` leaves them.
        static func writeHistory(_ dataDir: String, count: UInt64) throws {
            try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
            var bytes: [UInt8] = []
            bytes.reserveCapacity(Int(count) * 256)
            for seq in 1...count {
                let id = jobId(seq)
                let record = LedgerRecord.submitted(
                    SubmissionRecord(outcome: .accepted, mediaId: id, aiType: "AIVideoTag", jobId: id))
                bytes += LedgerLine.encode(seq: seq, at: 1_795_000_000_000 + Int64(seq), record: record)
            }
            let name = LedgerFileName.rotated(first: 1, last: count).name
            guard FileManager.default.createFile(atPath: dataDir + "/" + name, contents: Data(bytes)) else {
                throw ProcessHarnessError("cannot write \(name)")
            }
        }

        @Test(
            "while the ledger is read, a signed callback gets 503 with Retry-After (not a refused connection), /readyz 503; then 200"
        )
        func answersWhileOpening() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            try Self.writeHistory(setup.dataDir, count: Self.historyLines)
            try await ProcessHTTP.withClient { client in
                let server = try await sandbox.startServer(
                    setup.arguments(), dataDir: setup.dataDir, client: client, awaitReady: false)
                defer { server.child.forceKill() }
                let jobId = ProcessEvent.jobId()

                let early = try await setup.send(client, server, jobId: jobId)
                #expect(early.status == 503, "\(early)\n\(server.stderr)")
                #expect(early.retryAfter == "2", "\(early)")
                #expect(early.body.contains("ledger_opening"), "\(early)")
                let readyz = try await ProcessHTTP.get(client, server.url("/readyz"))
                #expect(readyz.status == 503, "\(readyz)")
                #expect(readyz.retryAfter == "2", "\(readyz)")
                #expect(try await ProcessHTTP.get(client, server.url("/healthz")).status == 200)
                #expect(!server.stderr.contains("ledger open: taking callbacks"), "the ledger was open before the first request")

                try await ProcessSandbox.awaitReady(server, client: client, timeout: .seconds(120))
                #expect(Self.openField(server.stderr, "ledger.lines") == "\(Self.historyLines)", "\(server.stderr)")
                let retried = try await setup.send(client, server, jobId: jobId)
                #expect(retried.status == 200, "\(retried)")
                #expect(retried.seq == Self.historyLines + 1, "\(retried)")
                #expect(try await server.terminate().isCleanExit)
            }
        }

        @Test("a ledger that cannot be read stops serve after it listened, with the reason, and a non-zero exit")
        func failedOpenStops() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            try FileManager.default.createDirectory(atPath: setup.dataDir, withIntermediateDirectories: true)
            // A directory where the live file should be: open(2) fails with EISDIR.
            try FileManager.default.createDirectory(
                atPath: setup.dataDir + "/" + LedgerFileName.liveName, withIntermediateDirectories: false)
            let result = try await sandbox.runVODHook(["serve"] + setup.arguments())
            #expect(!result.exit.isCleanExit, "\(result)")
            #expect(result.stderr.contains(LedgerFileName.liveName), "\(result)")
        }

        /// Started and ready, however long the debug build takes to read the history.
        static func start(_ setup: ProcessServeSetup, _ client: HTTPClient) async throws -> ProcessServer {
            try await setup.sandbox.startServer(setup.arguments(), dataDir: setup.dataDir, client: client, timeout: .seconds(180))
        }

        /// A `key=value` field of the latest "ledger open" log line.
        static func openField(_ log: String, _ key: String) -> String? {
            let line = log.split(separator: "\n").last { $0.contains(" ledger open ") || $0.hasSuffix(" ledger open") }
            return line?.split(separator: " ").first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) }
        }

        /// The newest checkpoint's name, once one covering at least `seq` exists (polled).
        static func awaitCheckpoint(_ dataDir: String, covering seq: UInt64) async -> String? {
            var found: String?
            _ = await ProcessPoll.until(timeout: .seconds(120)) {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: dataDir + "/checkpoints")) ?? []
                found =
                    names.filter { $0.hasPrefix("checkpoint-") && $0.hasSuffix(".bin") }
                    .compactMap { name in UInt64(name.dropFirst("checkpoint-".count).dropLast(".bin".count)).map { (name, $0) } }
                    .filter { $0.1 >= seq }.max { $0.1 < $1.1 }?.0
                return found != nil
            }
            return found
        }

        @Test(
            "from a checkpoint serve reads only the lines after it; a retry across the restart is a duplicate, an old job still correlates; without checkpoints, the same"
        )
        func restartFromCheckpoint() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            let history = Self.historyLines
            try Self.writeHistory(setup.dataDir, count: history)
            try await ProcessHTTP.withClient { client in
                // A start that read the files writes a checkpoint at once.
                let first = try await Self.start(setup, client)
                defer { first.child.forceKill() }
                let written = await Self.awaitCheckpoint(setup.dataDir, covering: history)
                #expect(written == "checkpoint-\(history).bin", "\(first.stderr)")
                let retried = ProcessEvent.jobId()
                #expect(try await setup.send(client, first, jobId: retried).seq == history + 1)
                #expect(try await setup.send(client, first, jobId: Self.jobId(7)).seq == history + 2)
                await first.kill()

                let second = try await Self.start(setup, client)
                defer { second.child.forceKill() }
                #expect(second.stderr.contains("ledger.checkpoint=checkpoint-\(history).bin"), "\(second.stderr)")
                #expect(
                    Self.openField(second.stderr, "ledger.lines") == "2",
                    "read more than the lines after the checkpoint:\n\(second.stderr)")
                let again = try await setup.send(client, second, jobId: retried)
                #expect(again.isDuplicate && again.seq == history + 1, "\(again)")
                // Submitted on line 9, before the checkpoint; its callback comes only now.
                let late = try await setup.send(client, second, jobId: Self.jobId(9))
                #expect(late.seq == history + 3, "\(late)")
                let entries = ProcessLedger.entries(setup.dataDir)
                #expect(entries.first { $0.seq == history + 3 }?.submissionSeq == 9)
                #expect(entries.first { $0.seq == history + 2 }?.submissionSeq == 7)
                #expect(try await second.terminate().isCleanExit)
                // A clean shutdown leaves a checkpoint of every line.
                #expect(await Self.awaitCheckpoint(setup.dataDir, covering: history + 3) == "checkpoint-\(history + 3).bin")

                // Every checkpoint deleted: the files alone give the same answers.
                try FileManager.default.removeItem(atPath: setup.dataDir + "/checkpoints")
                let third = try await Self.start(setup, client)
                defer { third.child.forceKill() }
                #expect(third.stderr.contains("ledger.checkpoint=none"), "\(third.stderr)")
                #expect(Self.openField(third.stderr, "ledger.lines") == "\(history + 3)", "\(third.stderr)")
                let once = try await setup.send(client, third, jobId: retried)
                #expect(once.isDuplicate && once.seq == history + 1, "\(once)")
                let stranger = try await setup.send(client, third, jobId: Self.jobId(11))
                #expect(ProcessLedger.entries(setup.dataDir).first { $0.seq == stranger.seq }?.submissionSeq == 11)
                #expect(try await third.terminate().isCleanExit)
            }
        }
    }
}
