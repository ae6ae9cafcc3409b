import Foundation
import Testing
import VODHookCore

@Suite("Ledger replay lines")
struct ReplayLineTests {
    static let records: [LedgerRecord] = [
        .replay(ReplayRecord(handler: "save", eventSeq: 41, jobId: "b848292fe928dccbff92402b56903ffb")),
        .replay(ReplayRecord(handler: "n \"quoted\" 中文", eventSeq: 7, jobId: nil)),
    ]

    @Test("a replay line has its fields in order, under their documented names")
    func fields() throws {
        let line = LedgerLine.encode(seq: 42, at: 1_795_521_821_025, record: Self.records[0])
        #expect(
            String(decoding: line, as: UTF8.self)
                == #"{"seq":42,"at":"2026-11-24T12:03:41.025Z","kind":"replay","handler":"save","event_seq":41,"job_id":"b848292fe928dccbff92402b56903ffb"}"#
                + "\n")
        let object = try HandlerOutcomeLineTests.object(line)
        #expect(object["dedup"] == nil && object["reason"] == nil && object["attempt"] == nil)
    }

    @Test("both readers give back what the writer's entry says", arguments: 0..<records.count)
    func roundTrip(_ index: Int) throws {
        let record = Self.records[index]
        let line = LedgerLine.encode(seq: 50, at: 1_795_521_821_025, record: record)
        let expected = LedgerEntry(seq: 50, at: 1_795_521_821_025, record: record)
        let body = Array(line.dropLast())
        #expect(try LedgerLine.decode(body) == expected)
        #expect(try LedgerLine.read(body[...]) == expected)
        guard case .replay(let replay) = record else { return }
        #expect(expected.kind == .replay && expected.handler == replay.handler && expected.eventSeq == replay.eventSeq)
        #expect(expected.jobId == replay.jobId && expected.result == nil && expected.attempts == nil)
        #expect(record.dedupKey == nil && record.identity == nil)
    }

    @Test("the kind reads by name; other names stay unknown kinds")
    func kind() throws {
        #expect(LedgerKind("replay") == .replay && LedgerKind.replay.description == "replay")
        #expect(LedgerKind("replayed") == .other("replayed"))
        #expect(LedgerKind.replay.isHandlerLine && LedgerKind.handled.isHandlerLine && LedgerKind.dead.isHandlerLine)
        #expect(!LedgerKind.event.isHandlerLine && !LedgerKind.submitted.isHandlerLine && !LedgerKind.other("x").isHandlerLine)
    }

    @Test("replay lines pass through the control socket's records unchanged")
    func control() throws {
        for record in Self.records {
            let wire = try JSONDecoder().decode(ControlRecord.self, from: JSONEncoder().encode(ControlRecord(record)))
            #expect(
                LedgerLine.encode(seq: 1, at: 0, record: try wire.ledgerRecord())
                    == LedgerLine.encode(seq: 1, at: 0, record: record))
        }
    }

    @Test("jobs and correlation take no notice of a replay line, though it names a JobId")
    func jobsIgnore() {
        var book = JobBook()
        book.absorb(LedgerEntry(seq: 1, at: 0, record: Self.records[0]))
        #expect(book.rows.isEmpty)
    }
}
