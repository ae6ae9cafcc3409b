import Testing
import VODHookCore

@Suite("The event body of a ledger line")
struct LedgerEventBodyTests {
    @Test(
        "gives back the recorded body byte for byte, whatever the fields before it hold",
        arguments: [
            #"{"EventType":"AIVideoTagComplete","JobId":"j","MediaId":"m","Status":"success","Data":"{\"a\":1}"}"#,
            #"{"EventType":"AIVideoTagComplete","JobId":",\"event\":{","MediaId":"m\",\"event\":{}","Status":"fail"}"#,
            #"{"EventType":"FileUploadComplete","VideoId":"v","Status":"success","event":{"nested":true},"x":[1,2,{}]}"#,
        ])
    func roundTrip(_ text: String) throws {
        let body = Array(text.utf8)
        let record = EventRecord(envelope: try EventParser.envelope(of: body), body: body)
        let line = LedgerLine.encode(seq: 7, at: 0, record: .event(record), submissionSeq: 3)
        #expect(LedgerLine.eventBody(line.dropLast()).map(Array.init) == record.body)
    }

    @Test("lines without an event have none")
    func none() {
        let submitted = LedgerLine.encode(
            seq: 1, at: 0, record: .submitted(SubmissionRecord(outcome: .sending, mediaId: "m", aiType: "AIVideoTag")))
        #expect(LedgerLine.eventBody(submitted.dropLast()) == nil)
        let handled = LedgerLine.encode(
            seq: 2, at: 0, record: .handled(HandledRecord(handler: "h", eventSeq: 1, attempt: 1, result: .ok, durationMs: 1)))
        #expect(LedgerLine.eventBody(handled.dropLast()) == nil)
        #expect(LedgerLine.eventBody(Array(#"{"seq":1,"event":"x"}"#.utf8)[...]) == nil)
        #expect(LedgerLine.eventBody([][...]) == nil)
    }
}
