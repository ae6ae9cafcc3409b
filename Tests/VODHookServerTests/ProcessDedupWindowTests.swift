import AsyncHTTPClient
import Foundation
import Testing
import VODHookCore

extension ProcessTests {
    /// `serve` remembers an event for `dedup_window` (24 h) after its line, a pending job's events
    /// until it ends, and the same across a restart from its checkpoint.
    @Suite("serve's dedup window", .serialized)
    struct ProcessDedupWindowTests {
        static let hour: Int64 = 3_600_000

        /// A live file: an event two days old, one an hour old, and a job still pending whose
        /// last event is three days old.
        static func writeLedger(_ dataDir: String, now: Int64, ids: (old: String, recent: String, pending: String)) throws {
            try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
            func event(_ id: String, _ status: String) throws -> LedgerRecord {
                let body = ProcessEvent.body(jobId: id, status: status)
                return .event(EventRecord(envelope: try EventParser.envelope(of: body), body: body))
            }
            var bytes: [UInt8] = []
            bytes += LedgerLine.encode(seq: 1, at: now - 48 * hour, record: try event(ids.old, "success"))
            bytes += LedgerLine.encode(seq: 2, at: now - hour, record: try event(ids.recent, "success"))
            bytes += LedgerLine.encode(
                seq: 3, at: now - 72 * hour,
                record: .submitted(
                    SubmissionRecord(
                        outcome: .accepted, mediaId: "4fefd4f434d07c2005373156a727d707", aiType: "AIVideoTag",
                        jobId: ids.pending)))
            bytes += LedgerLine.encode(
                seq: 4, at: now - 72 * hour, record: try event(ids.pending, "processing"), submissionSeq: 3)
            guard FileManager.default.createFile(atPath: ProcessLedger.path(dataDir), contents: Data(bytes)) else {
                throw ProcessHarnessError("cannot write the ledger")
            }
        }

        @Test(
            "an event older than the window is recorded again; a recent one and a pending job's are duplicates, across a restart")
        func windowAcrossRestart() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            let ids = (
                old: ProcessEvent.jobId("old"), recent: ProcessEvent.jobId("recent"), pending: ProcessEvent.jobId("pending")
            )
            try Self.writeLedger(setup.dataDir, now: Int64(Date().timeIntervalSince1970 * 1000), ids: ids)
            func send(_ client: HTTPClient, _ server: ProcessServer, _ id: String, _ status: String) async throws
                -> ProcessHTTPAnswer
            {
                try await setup.signer.post(client, server, body: ProcessEvent.body(jobId: id, status: status))
            }
            try await ProcessHTTP.withClient { client in
                let server = try await setup.start(client: client)
                let old = try await send(client, server, ids.old, "success")
                #expect(old.status == 200 && !old.isDuplicate && old.seq == 5, "\(old)\n\(server.stderr)")
                let recent = try await send(client, server, ids.recent, "success")
                #expect(recent.isDuplicate && recent.seq == 2, "\(recent)")
                let pending = try await send(client, server, ids.pending, "processing")
                #expect(pending.isDuplicate && pending.seq == 4, "\(pending)")
                #expect(try await server.terminate().isCleanExit)

                let again = try await setup.start(client: client)
                #expect(
                    ProcessStartupTests.openField(again.stderr, "ledger.lines") == "0", "from its checkpoint: \(again.stderr)")
                for (id, status, seq) in [
                    (ids.old, "success", UInt64(5)), (ids.recent, "success", 2), (ids.pending, "processing", 4),
                ] {
                    let answer = try await send(client, again, id, status)
                    #expect(answer.isDuplicate && answer.seq == seq, "\(id): \(answer)\n\(again.stderr)")
                }
                #expect(try await again.terminate().isCleanExit)
            }
            let entries = ProcessLedger.entries(setup.dataDir)
            #expect(entries.map(\.seq) == [1, 2, 3, 4, 5])
            #expect(entries.last?.jobId == ids.old)
        }
    }
}
