import Foundation
import Testing
import VODHook
import VODHookCore

/// The writer's dedup drops only VOD's retries: another body under a recorded key is written,
/// flagged, and the rule holds across a restart.
@Suite("Ledger writer: another body under a recorded key")
struct LedgerWriterBodyDiffersTests {
    static func event(_ jobId: String, note: String) throws -> LedgerRecord {
        let body = Array(
            #"{"EventType":"AIVideoTagComplete","JobId":"\#(jobId)","MediaId":"m","Status":"success","Note":"\#(note)"}"#.utf8)
        return .event(EventRecord(envelope: try EventParser.envelope(of: body), body: body))
    }

    @Test(
        "a forged body first, then the genuine one: both written, the second flagged; each body's retry is a duplicate, after a restart too"
    )
    func forgedFirst() async throws {
        let dir = TemporaryDataDir()
        let forged = try Self.event("j-1", note: "forged")
        let genuine = try Self.event("j-1", note: "genuine")
        let writer = try LedgerWriter(dataDir: dir.path, logger: LedgerFixtures.logger)
        #expect(try await writer.append(forged) == .recorded(seq: 1))
        #expect(try await writer.append(genuine) == .recorded(seq: 2))
        #expect(try await writer.append(genuine) == .duplicate(seq: 2))
        #expect(try await writer.append(forged) == .duplicate(seq: 1))
        #expect(writer.knownEvents == 1)
        await writer.close()
        let lines = try dir.ledgerLines()
        #expect(lines.count == 2)
        #expect(!lines[0].contains("body_differs"))
        #expect(lines[1].contains(#""duplicate_of":1,"body_differs":true"#), "\(lines[1])")

        let reopened = try LedgerWriter(dataDir: dir.path, logger: LedgerFixtures.logger)
        #expect(try await reopened.append(genuine) == .duplicate(seq: 2))
        #expect(try await reopened.append(forged) == .duplicate(seq: 1))
        #expect(try await reopened.append(try Self.event("j-1", note: "third")) == .recorded(seq: 3))
        await reopened.close()
        #expect(try LedgerLine.decode(Array(try dir.ledgerLines()[2].utf8)).duplicateOf == 1)
    }

    @Test("two bodies of one key in one group: the second waits for the first's seq and is written flagged")
    func sameBatch() async throws {
        let dir = TemporaryDataDir()
        let writer = try LedgerWriter(dataDir: dir.path, logger: LedgerFixtures.logger)
        let outcomes = try await writer.append([
            try Self.event("j-2", note: "a"), try Self.event("j-2", note: "b"),
            try Self.event("j-2", note: "a"),
        ])
        #expect(outcomes == [.recorded(seq: 1), .recorded(seq: 2), .duplicate(seq: 1)])
        await writer.close()
        let entries = try dir.ledgerLines().map { try LedgerLine.decode(Array($0.utf8)) }
        #expect(entries.map(\.duplicateOf) == [nil, 1])
    }

    @Test("an event reconcile learnt from VOD's API and a callback of the same key: one line, whichever came first")
    func polledAndCallback() async throws {
        let dir = TemporaryDataDir()
        let body = Array(#"{"EventType":"AIVideoTagComplete","JobId":"j-3","MediaId":"m","Status":"success"}"#.utf8)
        let polled = LedgerRecord.event(
            EventRecord(envelope: try EventParser.envelope(of: body), body: body, source: EventRecord.pollSource))
        let writer = try LedgerWriter(dataDir: dir.path, logger: LedgerFixtures.logger)
        #expect(try await writer.append(polled) == .recorded(seq: 1))
        #expect(try await writer.append(try Self.event("j-3", note: "callback")) == .duplicate(seq: 1))
        await writer.close()
    }
}
