import Foundation
import Testing
import VODHookCore

@Suite("Ledger line codec: submitted jobs and correlated events")
struct SubmittedLineTests {
    static let accepted = SubmissionRecord(
        outcome: .accepted, mediaId: "4fefd4f434d07c2005373156a727d707", aiType: "AIVideoTag",
        jobId: "b848292fe928dccbff92402b56903ffb", requestId: "25818875-5F78-4A13-BEF6-D73936A1B2C3",
        aiConfig: #"{"AIVideoTag":{"AnalyseTypes":"ASR,OCR"}}"#,
        userData: #"{"Extend":{"localId":"a \"b\" 中文"}}"#)

    static func object(_ line: [UInt8]) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
    }

    @Test("a submitted line has its fields in a fixed order, config and user data as the JSON text sent") func submittedFields()
        throws
    {
        let line = LedgerLine.encode(seq: 3, at: 0, record: .submitted(Self.accepted))
        let text = String(decoding: line, as: UTF8.self)
        #expect(
            text.hasPrefix(
                #"{"seq":3,"at":"1970-01-01T00:00:00.000Z","kind":"submitted","job_id":"b848292fe928dccbff92402b56903ffb","media_id":"4fefd4f434d07c2005373156a727d707","type":"AIVideoTag","outcome":"accepted","request_id":"25818875-5F78-4A13-BEF6-D73936A1B2C3","chain":"b848292fe928dccbff92402b56903ffb","attempt":1,"resubmit_of":null,"intent_seq":null,"#
            ))
        #expect(line.last == 0x0A && !line.dropLast().contains(0x0A))
        let object = try Self.object(line)
        #expect(object["ai_config"] as? String == Self.accepted.aiConfig)
        #expect(object["user_data"] as? String == Self.accepted.userData)
        #expect(object["error"] is NSNull)
    }

    @Test("decode reads back every submitted field") func submittedRoundTrip() throws {
        let refused = SubmissionRecord(
            outcome: .refused, mediaId: "m1", aiType: "AIMediaDNA", aiConfig: nil,
            error: .init(code: "InvalidParameter", message: "The \"MediaId\" is invalid.", requestId: "R-1", httpStatus: 400))
        var settled = Self.accepted
        settled.intentSeq = 8
        let sending = SubmissionRecord(outcome: .sending, mediaId: "m1", aiType: "AIVideoTag", aiConfig: #"{"x":1}"#)
        for record in [Self.accepted, refused, settled, sending] {
            let line = LedgerLine.encode(seq: 9, at: 1_795_521_821_025, record: .submitted(record))
            let entry = try LedgerLine.decode(line.dropLast())
            #expect(entry == LedgerEntry(seq: 9, at: 1_795_521_821_025, record: .submitted(record)))
            #expect(entry.kind == .submitted)
            #expect(entry.outcome == record.outcome)
            #expect(entry.aiType == record.aiType)
            #expect(entry.error == record.error)
            #expect(entry.chain == record.chain)
            #expect(entry.intentSeq == record.intentSeq)
        }
    }

    @Test("a first accepted submission is its own chain; a refused one has none") func chains() {
        #expect(Self.accepted.chain == Self.accepted.jobId)
        #expect(Self.accepted.attempt == 1)
        #expect(SubmissionRecord(outcome: .refused, mediaId: "m", aiType: "AIVideoTag").chain == nil)
        #expect(SubmissionRecord(outcome: .unknown, mediaId: "m", aiType: "AIVideoTag").chain == nil)
    }

    @Test("an event line says whether it answers a submitted job, and which", arguments: [nil, 41] as [UInt64?])
    func correlatedEvent(submissionSeq: UInt64?) throws {
        let body = try EventFixtures.sample("ai-video-tag-complete.json")
        let record = EventRecord(envelope: try EventParser.envelope(of: body), body: body)
        let line = LedgerLine.encode(seq: 42, at: 0, record: .event(record), submissionSeq: submissionSeq)
        let object = try Self.object(line)
        #expect(object["correlated"] as? Bool == (submissionSeq != nil))
        if let submissionSeq {
            #expect(object["submission_seq"] as? Int == Int(submissionSeq))
        } else {
            #expect(object["submission_seq"] is NSNull)
        }
        let text = String(decoding: line, as: UTF8.self)
        #expect(text.contains(#","event":{"#) && text.hasSuffix("}}\n"))
        #expect(try LedgerLine.decode(line.dropLast()).submissionSeq == submissionSeq)
    }

    @Test("the AI type of a completion event") func aiTypeOfEvent() {
        #expect(SubmissionRecord.aiType(ofEventType: "AIVideoTagComplete") == "AIVideoTag")
        #expect(SubmissionRecord.aiType(ofEventType: "AIMediaDNAComplete") == "AIMediaDNA")
        #expect(SubmissionRecord.aiType(ofEventType: "FileUploadComplete") == nil)
        #expect(SubmissionRecord.aiType(ofEventType: "AIComplete") == nil)
    }
}
