import Foundation
import Testing
import VODHook
import VODHookCore

@Suite("Ledger writer: correlation")
struct LedgerCorrelationTests {
    static func submitted(_ job: String, media: String = "m") -> LedgerRecord {
        .submitted(SubmissionRecord(outcome: .accepted, mediaId: media, aiType: "AIVideoTag", jobId: job, requestId: "R"))
    }

    static func line(_ dir: borrowing TemporaryDataDir, seq: UInt64) throws -> [String: Any] {
        let text = try #require(try dir.ledgerLines().first { $0.hasPrefix(#"{"seq":\#(seq),"#) })
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("an event of a submitted job says so on its line; one of an unknown job says it does not") func correlated()
        async throws
    {
        let dir = TemporaryDataDir()
        let writer = try LedgerWriter(dataDir: dir.path, logger: LedgerFixtures.logger)
        #expect(try await writer.append(Self.submitted("a")) == .recorded(seq: 1))
        #expect(try await writer.append(LedgerFixtures.event("a")) == .recorded(seq: 2))
        #expect(try await writer.append(LedgerFixtures.event("stranger")) == .recorded(seq: 3))
        await writer.close()
        #expect(try Self.line(dir, seq: 2)["correlated"] as? Bool == true)
        #expect(try Self.line(dir, seq: 2)["submission_seq"] as? Int == 1)
        #expect(try Self.line(dir, seq: 3)["correlated"] as? Bool == false)
        #expect(try Self.line(dir, seq: 1)["kind"] as? String == "submitted")
    }

    @Test("the index is rebuilt from the files at start, rotated ones included") func acrossRestart() async throws {
        let dir = TemporaryDataDir()
        let first = try LedgerWriter(dataDir: dir.path, rotateSize: 1, logger: LedgerFixtures.logger)
        _ = try await first.append(Self.submitted("a"))
        _ = try await first.append(Self.submitted("b"))
        await first.close()
        let second = try LedgerWriter(dataDir: dir.path, logger: LedgerFixtures.logger)
        #expect(try await second.append(LedgerFixtures.event("b")) == .recorded(seq: 3))
        await second.close()
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("ledger-") }
        #expect(files.count == 2)
        #expect(try Self.line(dir, seq: 3)["submission_seq"] as? Int == 2)
    }

    @Test("an event is linked exactly when its submission came before it, in the same batch too") func sameBatch() async throws {
        let dir = TemporaryDataDir()
        let writer = try LedgerWriter(dataDir: dir.path, logger: LedgerFixtures.logger)
        // Each job's submission and event race each other into the queue: many batches hold
        // both, in either order.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<100 {
                group.addTask { _ = try await writer.append(Self.submitted("job-\(index)")) }
                group.addTask { _ = try await writer.append(LedgerFixtures.event("job-\(index)")) }
            }
            try await group.waitForAll()
        }
        await writer.close()
        let objects = try dir.ledgerLines().map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let submissions = Dictionary(
            uniqueKeysWithValues: objects.filter { $0["kind"] as? String == "submitted" }
                .map { ($0["job_id"] as? String ?? "", $0["seq"] as? Int ?? 0) })
        let events = objects.filter { $0["kind"] as? String == "event" }
        #expect(events.count == 100)
        var linked = 0
        for event in events {
            let submission = try #require(submissions[event["job_id"] as? String ?? ""])
            let after = try #require(event["seq"] as? Int) > submission
            #expect(event["correlated"] as? Bool == after)
            #expect(event["submission_seq"] as? Int == (after ? submission : nil))
            if after { linked += 1 }
        }
        #expect(linked > 0)
    }
}
