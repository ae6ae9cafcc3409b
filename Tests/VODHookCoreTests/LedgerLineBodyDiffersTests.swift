import Foundation
import Testing
import VODHookCore

/// The flag on a line whose body differs from the one recorded first under its dedup key, and
/// the body digest start-up rebuilds from each line.
@Suite("Ledger line codec: body_differs")
struct LedgerLineBodyDiffersTests {
    static let body = Array(
        #"{"EventType":"AIVideoTagComplete","JobId":"j-1","MediaId":"m-1,\",\"event\":{","Status":"success","Data":"{\"k\":\"a,\\\"event\\\":1\"}"}"#
            .utf8)

    static func record(_ body: [UInt8] = body, source: String = "callback") throws -> LedgerRecord {
        .event(EventRecord(envelope: try EventParser.envelope(of: body), body: body, source: source))
    }

    @Test("a flagged line carries duplicate_of and body_differs before the event; both readers read them back")
    func roundTrip() throws {
        let record = try Self.record().flagged(duplicateOf: 12)
        let line = LedgerLine.encode(seq: 13, at: 1_795_521_821_025, record: record, submissionSeq: 4)
        let text = String(decoding: line, as: UTF8.self)
        #expect(text.contains(#""submission_seq":4,"duplicate_of":12,"body_differs":true,"event":{"#), "\(text)")
        let strict = try LedgerLine.decode(line.dropLast())
        let fast = try LedgerLine.read(line.dropLast())
        for entry in [strict, fast] {
            #expect(entry.duplicateOf == 12 && entry.bodyDiffers)
        }
        #expect(strict == fast)
        #expect(strict == LedgerEntry(seq: 13, at: 1_795_521_821_025, record: record, submissionSeq: 4))
    }

    @Test("an unflagged line has neither field and reads as not flagged")
    func unflagged() throws {
        let line = LedgerLine.encode(seq: 1, at: 0, record: try Self.record())
        #expect(!String(decoding: line, as: UTF8.self).contains("duplicate_of"))
        let entry = try LedgerLine.read(line.dropLast())
        #expect(entry.duplicateOf == nil && !entry.bodyDiffers)
    }

    @Test("the event body is found in the line byte for byte, so its digest is the one taken on arrival")
    func eventBody() throws {
        for record in [try Self.record(), try Self.record().flagged(duplicateOf: 3)] {
            let line = Array(LedgerLine.encode(seq: 9, at: 0, record: record).dropLast())
            let found = try #require(LedgerLine.eventBody(line[...]))
            #expect(Array(found) == Self.body)
            guard case .event(let event) = record else { return }
            #expect(DedupKey.Digest(of: found) == event.bodyDigest)
        }
        let submitted = LedgerLine.encode(
            seq: 1, at: 0, record: .submitted(SubmissionRecord(outcome: .sending, mediaId: "m", aiType: "AIVideoTag")))
        #expect(LedgerLine.eventBody(Array(submitted.dropLast())[...]) == nil)
    }

    @Test("an event from VOD's API has no body in its identity; a callback's has")
    func identity() throws {
        let polled = try Self.record(source: EventRecord.pollSource).identity
        let callback = try Self.record().identity
        #expect(polled?.body == nil && callback?.body != nil && polled?.key == callback?.key)
    }
}
