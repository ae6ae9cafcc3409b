import Foundation
import Testing
import VODHookCore

@Suite("Ledger line codec")
struct LedgerLineTests {
    static let prettyBody = Array(
        """
        {
            "EventTime": "2026-11-24T12:05:12Z",
            "EventType": "AIVideoTagComplete",
            "JobId": "6bd66e4ae600ed8144fbfc1b266926e8",
            "MediaId": "fac6f180d4b7e9bcf004525f66c01148",
            "Status": "fail",
            "Message": "line\\nbreak \\"quoted\\" 中文"
        }
        """.utf8)

    static func record(_ body: [UInt8]) throws -> EventRecord {
        EventRecord(envelope: try EventParser.envelope(of: body), body: body)
    }

    @Test("a line is one JSON object ending in a newline, with the body as its event object") func oneLine() throws {
        let line = LedgerLine.encode(seq: 42, at: 1_795_521_821_025, record: .event(try Self.record(Self.prettyBody)))
        #expect(line.last == 0x0A)
        #expect(line.dropLast().contains(0x0A) == false)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
        #expect(object["seq"] as? Int == 42)
        #expect(object["at"] as? String == "2026-11-24T12:03:41.025Z")
        #expect(object["kind"] as? String == "event")
        #expect(object["event_type"] as? String == "AIVideoTagComplete")
        #expect(object["job_id"] as? String == "6bd66e4ae600ed8144fbfc1b266926e8")
        #expect(object["media_id"] as? String == "fac6f180d4b7e9bcf004525f66c01148")
        #expect(object["status"] as? String == "fail")
        #expect(object["source"] as? String == "callback")
        #expect(object["dedup"] as? String == "AIVideoTagComplete|6bd66e4ae600ed8144fbfc1b266926e8|fail")
        let event = try #require(object["event"] as? NSDictionary)
        let original = try #require(try JSONSerialization.jsonObject(with: Data(Self.prettyBody)) as? NSDictionary)
        #expect(event == original)
    }

    @Test("the line's fields come first and the event last, in a fixed order") func fieldOrder() throws {
        let line = String(
            decoding: LedgerLine.encode(seq: 1, at: 0, record: .event(try Self.record(Self.prettyBody))), as: UTF8.self)
        #expect(
            line.hasPrefix(
                #"{"seq":1,"at":"1970-01-01T00:00:00.000Z","kind":"event","event_type":"AIVideoTagComplete","job_id":"#))
        #expect(line.contains(#","event":{"#))
    }

    @Test(
        "an event line, byte for byte, linked to its submission or not",
        arguments: [
            (UInt64?.some(3), #""correlated":true,"submission_seq":3"#),
            (nil, #""correlated":false,"submission_seq":null"#),
        ])
    func wholeLine(submissionSeq: UInt64?, link: String) throws {
        let body = "{\"EventType\":\"AIVideoTagComplete\",\r\n\"JobId\":\"j1\",\"MediaId\":\"m1\",\"Status\":\"success\"}"
        let record = try Self.record(Array(body.utf8))
        let line = LedgerLine.encode(seq: 7, at: 1_795_521_821_025, record: .event(record), submissionSeq: submissionSeq)
        #expect(
            String(decoding: line, as: UTF8.self) == #"{"seq":7,"at":"2026-11-24T12:03:41.025Z","kind":"event","#
                + #""event_type":"AIVideoTagComplete","job_id":"j1","media_id":"m1","status":"success","source":"callback","#
                + #""dedup":"AIVideoTagComplete|j1|success",\#(link),"event":{"EventType":"AIVideoTagComplete","#
                + #""JobId":"j1","MediaId":"m1","Status":"success"}}"# + "\n")
    }

    @Test("decode reads back what encode wrote") func roundTrip() throws {
        let record = try Self.record(Self.prettyBody)
        let line = LedgerLine.encode(seq: 7, at: 1_795_521_821_025, record: .event(record))
        let entry = try LedgerLine.decode(line.dropLast())
        #expect(
            entry
                == LedgerEntry(
                    seq: 7, at: 1_795_521_821_025, kind: .event, eventType: "AIVideoTagComplete",
                    jobId: "6bd66e4ae600ed8144fbfc1b266926e8", mediaId: "fac6f180d4b7e9bcf004525f66c01148",
                    status: "fail", source: "callback", dedupKey: record.dedupKey))
    }

    @Test("envelope values that need escaping stay valid JSON") func escaping() throws {
        let body = Array(#"{"EventType":"Odd\"Type\\\u0001","JobId":"a|b%c","Status":"success"}"#.utf8)
        let record = try Self.record(body)
        let line = LedgerLine.encode(seq: 1, at: 0, record: .event(record))
        let entry = try LedgerLine.decode(line.dropLast())
        #expect(entry.eventType == "Odd\"Type\\\u{1}")
        #expect(entry.jobId == "a|b%c")
        #expect(record.dedupKey.text == "Odd\"Type\\\u{1}|a%7Cb%25c|success")
    }

    @Test("missing identifiers are written as null") func nulls() throws {
        let record = try Self.record(Array(#"{"EventType":"Ping"}"#.utf8))
        let line = String(decoding: LedgerLine.encode(seq: 1, at: 0, record: .event(record)), as: UTF8.self)
        #expect(line.contains(#""job_id":null,"media_id":null,"status":null"#))
    }

    @Test(
        "lines that are not ledger objects are refused with the reason",
        arguments: [
            ("not json", LedgerLineError.notJSON),
            (#"{"at":"2026-11-24T12:03:41.025Z","kind":"event"}"#, .missingField("seq")),
            (#"{"seq":1,"at":"yesterday","kind":"event"}"#, .missingField("at")),
            (#"{"seq":1,"at":"2026-11-24T12:03:41.025Z"}"#, .missingField("kind")),
            ("", .notJSON),
        ] as [(String, LedgerLineError)])
    func refusals(text: String, expected: LedgerLineError) {
        #expect(throws: expected) { try LedgerLine.decode(Array(text.utf8)) }
    }

    @Test("unknown kinds and extra fields are read, not refused") func forwardCompatible() throws {
        let entry = try LedgerLine.decode(
            Array(#"{"seq":9,"at":"2026-11-24T12:03:41.025Z","kind":"handler","new_field":[1]}"#.utf8))
        #expect(entry.kind == .other("handler"))
        #expect(entry.seq == 9)
    }

    @Test(
        "the seq of a torn line is still found",
        arguments: [
            (#"{"seq":123,"at":"20"#, UInt64(123)),
            (#"{"seq":7"#, 7),
            (#"{"seq":"#, nil),
            ("\0\0\0", nil),
            (#"{"at":1,"seq":5}"#, nil),
            (#"{"seq":18446744073709551615}"#, UInt64.max),
            // One past the largest: nil, not a trap on the last digit's addition.
            (#"{"seq":18446744073709551616}"#, nil),
        ] as [(String, UInt64?)])
    func leadingSeq(text: String, expected: UInt64?) {
        #expect(LedgerLine.leadingSeq(Array(text.utf8)) == expected)
    }
}

@Suite("Dedup keys")
struct DedupKeyTests {
    @Test("VOD's retries of one event share a key; another status does not") func retryIdentity() throws {
        let first = DedupKey(
            envelope: EventEnvelope(eventType: "AIMediaDNAComplete", jobId: "j1", status: "success"), body: Array("a".utf8))
        let retry = DedupKey(
            envelope: EventEnvelope(eventType: "AIMediaDNAComplete", jobId: "j1", status: "success"), body: Array("b".utf8))
        let failed = DedupKey(
            envelope: EventEnvelope(eventType: "AIMediaDNAComplete", jobId: "j1", status: "fail"), body: Array("a".utf8))
        #expect(first == retry)
        #expect(first.digest == retry.digest)
        #expect(first != failed)
        #expect(first.digest != failed.digest)
    }

    @Test("the digest is the first 128 bits of SHA-256 of the key text, big-endian") func digestValue() {
        let key = DedupKey(envelope: EventEnvelope(eventType: "AIVideoTagComplete", jobId: "j|1", status: "success"), body: [])
        #expect(key.text == "AIVideoTagComplete|j%7C1|success")
        // printf '%s' 'AIVideoTagComplete|j%7C1|success' | sha256sum
        #expect(key.digest.high == 0x6a0e_c0de_8098_1b34)
        #expect(key.digest.low == 0x6079_e4b5_93c0_2c09)
        #expect(DedupKey(text: key.text).digest == key.digest)
    }

    @Test("events without a JobId are identified by their body") func bodyDigest() {
        let envelope = EventEnvelope(eventType: "FileUploadComplete", mediaId: "v1", status: "success")
        let a = DedupKey(envelope: envelope, body: Array("{\"x\":1}".utf8))
        let b = DedupKey(envelope: envelope, body: Array("{\"x\":2}".utf8))
        #expect(a.text.hasPrefix("sha256:"))
        #expect(a.text.count == "sha256:".count + 64)
        #expect(a != b)
    }

    @Test("a separator inside a component cannot make two events collide") func noCollision() {
        let a = DedupKey(envelope: EventEnvelope(eventType: "T", jobId: "a|b", status: "c"), body: [])
        let b = DedupKey(envelope: EventEnvelope(eventType: "T", jobId: "a", status: "b|c"), body: [])
        #expect(a != b)
    }
}

@Suite("Ledger files")
struct LedgerFileTests {
    @Test(
        "file names parse and print",
        arguments: [
            ("ledger.jsonl", LedgerFileName.live),
            ("ledger-1-500.jsonl", .rotated(first: 1, last: 500)),
            ("ledger-501-501.jsonl", .rotated(first: 501, last: 501)),
        ] as [(String, LedgerFileName)])
    func names(name: String, expected: LedgerFileName) {
        #expect(LedgerFileName(name) == expected)
        #expect(expected.name == name)
    }

    @Test(
        "other files are not ledger files",
        arguments: [
            "ledger.jsonl.broken-20261126T053315Z", "ledger-5-1.jsonl", "ledger-a-b.jsonl", "ledger-1.jsonl", "callback-key",
            "ledger-1-2-3.jsonl",
        ])
    func notLedger(name: String) {
        #expect(LedgerFileName(name) == nil)
    }

    @Test("readers go through rotated files by first seq (numerically), the live file last") func order() {
        let names = ["ledger.jsonl", "ledger-1001-2000.jsonl", "vodhook.lock", "ledger-1-1000.jsonl", "ledger-2001-10000.jsonl"]
        #expect(
            LedgerFileName.readingOrder(names).map(\.name) == [
                "ledger-1-1000.jsonl", "ledger-1001-2000.jsonl", "ledger-2001-10000.jsonl", "ledger.jsonl",
            ])
    }

    @Test(
        "the torn tail starts after the last newline",
        arguments: [
            ("a\nb\nc", Int64(0), Int64?(4)),
            ("a\nb\n", 0, 4),
            ("abc", 0, 0),
            ("abc", 100, nil),
            ("x\n\0\0\0", 10, 12),
            ("", 0, 0),
        ] as [(String, Int64, Int64?)])
    func tornTail(chunk: String, offset: Int64, expected: Int64?) {
        #expect(TornTail.validLength(chunk: Array(chunk.utf8), chunkOffset: offset) == expected)
    }
}

@Suite("Sample events")
struct SampleEventTests {
    @Test("every sample is an accepted event with the requested identifiers", arguments: SampleEvent.types)
    func samplesParse(type: String) throws {
        for status in ["success", "fail"] {
            let body = try #require(
                SampleEvent.body(
                    type: type, jobId: "job-1", mediaId: "media-1", status: status, eventTime: "2026-11-24T12:03:41Z"))
            let envelope = try EventParser.envelope(of: Array(body.utf8))
            #expect(envelope.eventType == type)
            #expect(envelope.mediaId == "media-1")
            #expect(envelope.status == status)
            #expect(envelope.jobId == (type == "FileUploadComplete" ? nil : "job-1"))
            #expect(!body.contains("\n"))
        }
    }

    @Test("a successful AI sample carries a result that parses into its typed form") func typedData() throws {
        let tag = try #require(
            SampleEvent.body(
                type: "AIVideoTagComplete", jobId: "j", mediaId: "m", status: "success", eventTime: "2026-11-24T12:03:41Z"))
        let event = try EventParser.parse(Array(tag.utf8))
        guard case .tag = event.data else {
            Issue.record("expected a tag result, got \(event.data)")
            return
        }
    }
}
