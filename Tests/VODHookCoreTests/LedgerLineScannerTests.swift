import Foundation
import Testing
import VODHookCore

/// The fast reader must agree with the strict decoder on every line the codec writes, and fall
/// back to it whenever it cannot tell.
@Suite("Ledger line fast reader")
struct LedgerLineScannerTests {
    static func lines() throws -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var seq: UInt64 = 0
        func add(_ record: LedgerRecord, _ submission: UInt64? = nil) {
            seq += 1
            lines.append(
                LedgerLine.encode(seq: seq, at: 1_795_521_821_025 + Int64(seq), record: record, submissionSeq: submission))
        }
        for name in EventFixtures.eventSamples {
            let body = try EventFixtures.sample(name)
            add(.event(EventRecord(envelope: try EventParser.envelope(of: body), body: body)), seq)
            add(.event(EventRecord(envelope: try EventParser.envelope(of: body), body: body, source: "poll")))
        }
        let odd = Array(#"{"EventType":"Odd\"Type\\\u0001","JobId":"a|b%c \u4e2d","MediaId":"m\/1","Status":"success"}"#.utf8)
        add(.event(EventRecord(envelope: try EventParser.envelope(of: odd), body: odd)))
        add(.submitted(SubmittedLineTests.accepted))
        add(
            .submitted(
                SubmissionRecord(
                    outcome: .refused, mediaId: "m \"quoted\"", aiType: "AIMediaDNA",
                    error: .init(code: "Throttling.User", message: "slow\ndown 中文", requestId: "R", httpStatus: 400))))
        add(
            .submitted(
                SubmissionRecord(
                    outcome: .unknown, mediaId: "m", aiType: "AIVideoTag", attempt: 3, resubmitOf: "j0",
                    error: .init(code: nil, message: "no answer"), intentSeq: 41)))
        add(.submitted(SubmissionRecord(outcome: .sending, mediaId: "m", aiType: "AIVideoTag", aiConfig: #"{"a":1}"#)))
        for record in HandlerOutcomeLineTests.records + ReplayLineTests.records { add(record) }
        return lines
    }

    @Test("agrees with the strict decoder on every kind of line the codec writes") func agrees() throws {
        for line in try Self.lines() {
            let body = Array(line.dropLast())
            #expect(try LedgerLine.read(body[...]) == LedgerLine.decode(body), "\(String(decoding: body, as: UTF8.self))")
        }
    }

    @Test("on damaged lines it never disagrees: where both read a line, they read the same") func damaged() throws {
        var generator = SystemRandomNumberGenerator()
        var checked = 0
        for line in try Self.lines() {
            let body = Array(line.dropLast())
            for _ in 0..<300 {
                var bytes = body
                let position = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes.remove(at: position)
                case 1: bytes[position] = UInt8.random(in: 0x20...0x7E, using: &generator)
                default: bytes.insert(Array("\",:{}[]0-e\\".utf8).randomElement(using: &generator) ?? 0x22, at: position)
                }
                let fast = try? LedgerLine.read(bytes[...])
                let strict = try? LedgerLine.decode(bytes)
                if let fast, let strict {
                    #expect(fast == strict, "\(String(decoding: bytes, as: UTF8.self))")
                    checked += 1
                }
                if strict != nil { #expect(fast != nil, "the fast reader refused what the strict one reads") }
            }
        }
        #expect(checked > 100)
    }

    @Test("it does not validate the event body it skips; the strict decoder (ledger verify) does") func skipsBody() throws {
        let line =
            #"{"seq":1,"at":"2026-11-24T12:03:41.025Z","kind":"event","event_type":"X","job_id":null,"media_id":null,"status":null,"source":"callback","dedup":"d","correlated":false,"submission_seq":null,"event":{"a":tru}}"#
        let bytes = Array(line.utf8)
        #expect(try LedgerLine.read(bytes[...]).seq == 1)
        #expect(throws: LedgerLineError.notJSON) { try LedgerLine.decode(bytes) }
    }

    @Test(
        "a line it cannot read, it hands to the strict decoder, which names the problem",
        arguments: [
            (#"{"seq":"1","at":"2026-11-24T12:03:41.025Z","kind":"event"}"#, LedgerLineError.notJSON),
            (#"{"at":"2026-11-24T12:03:41.025Z","kind":"event"}"#, LedgerLineError.missingField("seq")),
            (#"{"seq":1,"at":"yesterday","kind":"event"}"#, LedgerLineError.missingField("at")),
            (#"{"seq":1,"at":"2026-11-24T12:03:41.025Z","kind":"event""#, LedgerLineError.notJSON),
        ])
    func fallsBack(line: String, error: LedgerLineError) {
        #expect(throws: error) { try LedgerLine.read(Array(line.utf8)[...]) }
    }
}

/// Found by scripts/fuzz (fuzz-ledger): a damaged or hand-edited line can repeat a member.
@Suite("Ledger line fast reader, repeated members")
struct LedgerLineScannerRepeatTests {
    static let head = #"{"seq":7,"at":"2026-11-24T12:03:41.025Z","kind":"event","#

    @Test(
        "a repeated member reads as the strict decoder reads it (the first wins)",
        arguments: [
            head + #""event_type":"First","event_type":"Second","dedup":"d"}"#,
            head + #""job_id":null,"job_id":"j","dedup":"d"}"#,
            head + #""job_id":"j","job_id":null,"dedup":"d"}"#,
            #"{"seq":7,"seq":8,"at":"2026-11-24T12:03:41.025Z","kind":"event"}"#,
            #"{"seq":7,"at":"2026-11-24T12:03:41.025Z","at":"2027-01-01T00:00:00.000Z","kind":"event"}"#,
            #"{"seq":7,"at":"2026-11-24T12:03:41.025Z","kind":"submitted","outcome":"accepted","outcome":"refused","attempt":1,"attempt":2}"#,
        ])
    func repeated(line: String) throws {
        let bytes = Array(line.utf8)
        #expect(try LedgerLine.read(bytes[...]) == LedgerLine.decode(bytes))
    }
}
