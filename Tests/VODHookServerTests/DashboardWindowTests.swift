import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import VODHook
import VODHookCore

@testable import VODHookServer

/// The dashboard reads the last day of the ledger, not its history: old files stay unread.
@Suite("Dashboard window")
struct DashboardWindowTests {
    static let logger = DashboardPageTests.logger
    static let day: Int64 = 86_400_000

    @Test("old files are not read: only the last day's jobs are listed, pending ones of any age come from the server")
    func oldFilesUnread() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vodhook-window-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let old = WallClock.milliseconds() - 3 * Self.day
        let past = try LedgerWriter(dataDir: dir, rotateSize: 600, logger: Self.logger, now: { old })
        _ = try await past.append(
            .submitted(SubmissionRecord(outcome: .accepted, mediaId: "m-p", aiType: "AIVideoTag", jobId: "old-pending")))
        for number in 0..<12 {
            _ = try await past.append(try DashboardPageTests.event("AIVideoTagComplete", "old-\(number)"))
        }
        await past.close()
        // Lines no reader can read, after the first of the oldest file: a reader of every file counts them.
        let oldest = try #require(try LedgerReader(dataDir: dir).files().first { $0 != .live })
        let handle = try #require(FileHandle(forWritingAtPath: dir + "/" + oldest.name))
        handle.seekToEndOfFile()
        handle.write(Data("not a ledger line\nnor this\n".utf8))
        try handle.close()

        let writer = try LedgerWriter(dataDir: dir, rotateSize: 600, logger: Self.logger)
        _ = try await writer.append(try DashboardPageTests.event("AIVideoTagComplete", "new-1"))
        _ = try await writer.append(try DashboardPageTests.event("AIVideoTagComplete", "new-2"))
        let app = buildAdminApplication(
            address: .hostname("127.0.0.1", port: 0), health: HealthRoutes(ledger: writer),
            dashboard: DashboardRoutes(dataDir: dir, ledger: writer), logger: Self.logger)
        try await app.test(.router) { client in
            let overview = try await DashboardPageTests.get(client, "/api/overview")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(overview.body.utf8)) as? [String: Any])
            #expect(json["unreadable_lines"] as? Int == 0, "an old file was read: \(overview.body)")
            #expect(json["events_last_day"] as? Int == 2, "\(overview.body)")
            #expect((json["jobs"] as? [String: Int])?["pending"] == 1, "the old pending job counts: \(overview.body)")

            let listed = try await DashboardPageTests.get(client, "/api/jobs")
            #expect(listed.body.contains("new-1") && listed.body.contains("new-2"))
            #expect(!listed.body.contains("old-3"), "only the last day's jobs: \(listed.body)")
            let pending = try await DashboardPageTests.get(client, "/api/jobs?state=pending")
            #expect(pending.body.contains("old-pending"), "\(pending.body)")
            let tooOld = try await DashboardPageTests.get(client, "/api/jobs?since=3d")
            #expect(tooOld.status == .badRequest && tooOld.body.contains("vodhook jobs --since"), "\(tooOld.body)")
            // A job of any age has its page: found through the job index, not the book.
            let page = try await DashboardPageTests.get(client, "/jobs/old-7")
            #expect(page.status == .ok && page.body.contains("old-7"))
        }
        await writer.close()
    }
}
