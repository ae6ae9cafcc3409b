import Foundation
import Testing
import VODHookCore

@Suite("Ledger handled and dead lines")
struct HandlerOutcomeLineTests {
    static let records: [LedgerRecord] = [
        .handled(HandledRecord(handler: "save", eventSeq: 41, attempt: 1, result: .ok, durationMs: 3)),
        .handled(
            HandledRecord(
                handler: "notify", eventSeq: 41, attempt: 2, result: .failed, durationMs: 30_000,
                reason: "exit 1: \"quoted\" \\ 中文\nsecond line")),
        .dead(DeadRecord(handler: "notify", eventSeq: 41, attempts: 5, reason: "timed out after 30s")),
        .dead(DeadRecord(handler: "retry-1", eventSeq: 7, attempts: 1, reason: nil)),
    ]

    static func object(_ line: [UInt8]) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
    }

    @Test("a handled line has its fields in order, under their documented names")
    func handledFields() throws {
        let line = LedgerLine.encode(seq: 42, at: 1_795_521_821_025, record: Self.records[1])
        let text = String(decoding: line, as: UTF8.self)
        #expect(
            text
                == #"{"seq":42,"at":"2026-11-24T12:03:41.025Z","kind":"handled","handler":"notify","event_seq":41,"attempt":2,"result":"failed","duration_ms":30000,"reason":"exit 1: \"quoted\" \\ 中文 second line"}"#
                + "\n")
        let object = try Self.object(line)
        #expect(object["dedup"] == nil && object["correlated"] == nil)
    }

    @Test("a dead line has its fields in order, under their documented names")
    func deadFields() throws {
        let line = LedgerLine.encode(seq: 43, at: 1_795_521_821_025, record: Self.records[2])
        #expect(
            String(decoding: line, as: UTF8.self)
                == #"{"seq":43,"at":"2026-11-24T12:03:41.025Z","kind":"dead","handler":"notify","event_seq":41,"attempts":5,"reason":"timed out after 30s"}"#
                + "\n")
        let okLine = LedgerLine.encode(seq: 44, at: 0, record: Self.records[0])
        #expect(try Self.object(okLine)["reason"] is NSNull)
    }

    @Test("both readers give back what the writer's entry says", arguments: 0..<records.count)
    func roundTrip(_ index: Int) throws {
        let record = Self.records[index]
        let line = LedgerLine.encode(seq: 50, at: 1_795_521_821_025, record: record)
        let expected = LedgerEntry(seq: 50, at: 1_795_521_821_025, record: record)
        let body = Array(line.dropLast())
        #expect(try LedgerLine.decode(body) == expected)
        #expect(try LedgerLine.read(body[...]) == expected)
        #expect(expected.kind == (index < 2 ? .handled : .dead))
        #expect(expected.handler != nil && expected.eventSeq != nil)
        #expect(record.dedupKey == nil)
    }

    @Test("the entry holds every field of the record")
    func entryFields() {
        let handled = LedgerEntry(seq: 1, at: 0, record: Self.records[1])
        #expect(handled.handler == "notify" && handled.eventSeq == 41 && handled.attempt == 2)
        #expect(handled.result == .failed && handled.durationMs == 30_000)
        #expect(handled.reason == "exit 1: \"quoted\" \\ 中文 second line")
        let dead = LedgerEntry(seq: 2, at: 0, record: Self.records[2])
        #expect(dead.attempts == 5 && dead.reason == "timed out after 30s" && dead.result == nil && dead.attempt == nil)
    }

    @Test("a reason is one line of at most 200 characters")
    func shortReason() {
        let long = HandledRecord(
            handler: "h", eventSeq: 1, attempt: 1, result: .failed, durationMs: 0,
            reason: String(repeating: "x\n", count: 5000))
        #expect(long.reason?.count == HandlerOutcomeText.limit)
        #expect(long.reason?.contains("\n") == false && long.reason?.hasSuffix("…") == true)
        #expect(DeadRecord(handler: "h", eventSeq: 1, attempts: 1, reason: "a\r\nb\0c").reason == "a b c")
    }

    @Test("the kinds read by name; an older reader's unknown kind stays readable")
    func kinds() throws {
        #expect(LedgerKind("handled") == .handled && LedgerKind("dead") == .dead)
        #expect(LedgerKind.handled.description == "handled" && LedgerKind.dead.description == "dead")
        let future = Array(#"{"seq":9,"at":"2026-11-24T12:03:41.025Z","kind":"replayed","handler":"h","event_seq":3}"#.utf8)
        let entry = try LedgerLine.read(future[...])
        #expect(entry.kind == .other("replayed") && entry.handler == "h" && entry.eventSeq == 3)
    }

    @Test("handler outcomes pass through the control socket's records unchanged")
    func control() throws {
        for record in Self.records {
            let wire = try JSONDecoder().decode(ControlRecord.self, from: JSONEncoder().encode(ControlRecord(record)))
            let back = try wire.ledgerRecord()
            #expect(LedgerLine.encode(seq: 1, at: 0, record: back) == LedgerLine.encode(seq: 1, at: 0, record: record))
        }
    }
}
