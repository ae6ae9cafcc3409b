import Foundation
import Logging
import Testing
import VODHook
import VODHookCore

extension ProcessTests {
    /// `vodhook job` on a ledger of many rotated files answers through the files' sidecars
    /// (`index/*.idx`), and the same with them deleted or broken.
    @Suite("job index in the real binary", .serialized)
    struct ProcessJobIndexTests {
        /// A chain A → B whose lines lie in different rotated files, among other jobs' lines.
        static func writeLedger(_ dataDir: String) async throws -> (first: String, again: String) {
            let writer = try LedgerWriter(
                dataDir: dataDir, rotateSize: 3000, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
            let first = ProcessEvent.jobId("first")
            let again = ProcessEvent.jobId("again")
            func event(_ job: String, status: String = "success", submission: UInt64? = nil) async throws -> UInt64 {
                let body = ProcessEvent.body(jobId: job, status: status)
                return try await writer.append(.event(EventRecord(envelope: try EventParser.envelope(of: body), body: body))).seq
            }
            func others(_ count: Int) async throws {
                for _ in 0..<count { _ = try await event(ProcessEvent.jobId("other")) }
            }
            _ = try await writer.append(
                .submitted(SubmissionRecord(outcome: .accepted, mediaId: "m-1", aiType: "AIVideoTag", jobId: first)))
            try await others(12)
            let failed = try await event(first, status: "fail")
            try await others(12)
            _ = try await writer.append(
                .handled(HandledRecord(handler: "again", eventSeq: failed, attempt: 1, result: .ok, durationMs: 3)))
            try await others(12)
            _ = try await writer.append(
                .submitted(
                    SubmissionRecord(
                        outcome: .accepted, mediaId: "m-1", aiType: "AIVideoTag", jobId: again, chain: first, attempt: 2,
                        resubmitOf: first)))
            try await others(12)
            _ = try await event(again)
            await writer.close()
            return (first, again)
        }

        static func rotated(_ dataDir: String) throws -> [String] {
            try LedgerReader(dataDir: dataDir).files().filter { $0 != .live }.map { $0.name + ".idx" }.sorted()
        }

        static func sidecars(_ dataDir: String) -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: dataDir + "/index")) ?? []).filter { $0.hasSuffix(".idx") }
                .sorted()
        }

        @Test("vodhook job shows the whole chain the same from sidecars, without them, and with broken ones")
        func chainThroughSidecars() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let dataDir = sandbox.file("data")
            let (first, again) = try await Self.writeLedger(dataDir)
            let rotated = try Self.rotated(dataDir)
            #expect(rotated.count >= 4)

            func show(_ extra: [String] = []) async throws -> String {
                let shown = try await sandbox.runVODHook(["job", again, "--data-dir", dataDir] + extra)
                #expect(shown.exit.isCleanExit, "\(shown)")
                return shown.stdout
            }
            let text = try await show()
            let json = try await show(["--json"])
            #expect(text.hasPrefix("chain \(first)  2 jobs  state success"), "\(text)")
            #expect(text.contains("job \(first)") && text.contains("job \(again)"))
            #expect(text.contains("handler again: ok"), "\(text)")
            #expect(json.split(separator: "\n").count == 5, "\(json)")

            // Every rotated file has its sidecar (serve's writer wrote them, or the query did).
            #expect(await ProcessPoll.until(timeout: .seconds(10)) { Self.sidecars(dataDir) == rotated })
            #expect(try await show() == text)

            // Deleted: the query scans, answers the same, and writes them again.
            try FileManager.default.removeItem(atPath: dataDir + "/index")
            #expect(try await show() == text)
            #expect(Self.sidecars(dataDir) == rotated)
            #expect(try await show(["--json"]) == json)

            // Every sidecar broken (a byte in its records flipped, or cut): the same answer.
            for (position, name) in rotated.enumerated() {
                let path = dataDir + "/index/" + name
                var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
                if position % 2 == 0 { bytes[bytes.count - 3] ^= 0x20 } else { bytes.removeLast(5) }
                try Data(bytes).write(to: URL(fileURLWithPath: path))
            }
            #expect(try await show() == text)
            #expect(try await show(["--json"]) == json)

            let missing = try await sandbox.runVODHook(["job", "no-such-job", "--data-dir", dataDir])
            #expect(missing.exit == ProcessExit(status: 1, signaled: false))
        }
    }
}
