import Testing
import VODHookCore

@Suite struct EventParserTests {
    private func body(_ json: String) -> [UInt8] { Array(json.utf8) }

    @Test(
        "EventType decides the family; unknown types are accepted",
        arguments: [
            ("AIVideoTagComplete", EventFamily.aiVideoTag),
            ("AIMediaDNAComplete", .aiMediaDNA),
            ("AIMediaAuditComplete", .aiMediaAudit),
            ("AIFooComplete", .otherAI("AIFooComplete")),
            ("AIVideoSummaryComplete", .otherAI("AIVideoSummaryComplete")),
            ("VideoAIComplete", .media("VideoAIComplete")),  // a family name, never an EventType
            ("FileUploadComplete", .media("FileUploadComplete")),
            ("TranscodeComplete", .media("TranscodeComplete")),
            ("SomethingNobodyHasSeen", .media("SomethingNobodyHasSeen")),
            ("aivideotagcomplete", .media("aivideotagcomplete")),
            ("AIVideoTag", .media("AIVideoTag")),
        ] as [(String, EventFamily)])
    func families(eventType: String, family: EventFamily) throws {
        let json = body(#"{"EventType":"\#(eventType)","Status":"success"}"#)
        #expect(try EventParser.envelope(of: json).family == family)
        let event = try EventParser.parse(json)
        #expect(event.eventType == eventType)
        #expect(event.family == family)
        #expect(event.family.isAI == (family != .media(eventType)))
        #expect(event.data == .absent)
    }

    /// Found by scripts/fuzz (fuzz-json): Foundation's `Double` decode refuses these valid numbers,
    /// so a body the request path had recorded could not be parsed afterwards.
    @Test(
        "a zero with an unsigned exponent parses, as it passes the request path",
        arguments: [
            #"{"EventType":"X","n":0e1}"#, #"{"EventType":"X","n":[0E6]}"#,
            #"{"EventType":"X","Data":{"Score":0e2}}"#, #"{"EventType":"X","Data":"{\"n\":0e3}"}"#,
        ])
    func zeroWithExponent(json: String) throws {
        let envelope = try EventParser.envelope(of: body(json))
        let event = try EventParser.parse(body(json))
        #expect(event.envelope == envelope)
    }

    @Test("unknown top-level fields are preserved in fields, with their JSON kinds")
    func unknownFields() throws {
        let event = try EventParser.parse(
            body(
                """
                {"EventType":"AIMediaDNAComplete","JobId":"j1","Region":"cn-shanghai","Size":1439213,
                 "Ratio":0.5,"Flag":false,"Nothing":null,"List":[1,"two",{"three":3}],"Nested":{"A":{"B":"c"}}}
                """))
        #expect(event.fields.count == 9)
        #expect(event.fields["Region"] == "cn-shanghai")
        #expect(event.fields["Size"] == .number(1_439_213))
        #expect(event.fields["Ratio"] == 0.5)
        #expect(event.fields["Flag"] == false)
        #expect(event.fields["Nothing"] == .null)
        #expect(event.fields["List"] == [1, "two", ["three": 3]])
        #expect(event.fields["Nested"]?["A"]?["B"] == "c")
        #expect(event.fields["JobId"] == "j1")
    }

    @Test(
        "the envelope takes only non-empty string ids, MediaId before VideoId",
        arguments: [
            (#""JobId":"j","MediaId":"m","VideoId":"v""#, "j", "m"),
            (#""MediaId":"","VideoId":"v""#, nil, "v"),
            (#""MediaId":null,"VideoId":"v""#, nil, "v"),
            (#""MediaId":7,"VideoId":"v""#, nil, "v"),
            (#""VideoId":"v""#, nil, "v"),
            (#""JobId":"","MediaId":"m""#, nil, "m"),
            (#""JobId":12345,"VideoId":"""#, nil, nil),
            (#""JobId":["j"]"#, nil, nil),
        ] as [(String, String?, String?)])
    func ids(members: String, jobId: String?, mediaId: String?) throws {
        let json = body(#"{"EventType":"X",\#(members)}"#)
        let envelope = try EventParser.envelope(of: json)
        #expect(envelope.jobId == jobId)
        #expect(envelope.mediaId == mediaId)
        #expect(try EventParser.parse(json).envelope == envelope)
    }

    @Test(
        "Status and EventTime are kept verbatim when strings and dropped when not",
        arguments: [
            (#""Status":"success","EventTime":"2026-11-24T12:03:41Z""#, "success", "2026-11-24T12:03:41Z"),
            (#""Status":"fail""#, "fail", nil),
            (#""Status":"Processing","EventTime":"yesterday""#, "Processing", "yesterday"),
            (#""Status":"","EventTime":"""#, "", ""),
            (#""Status":true,"EventTime":1795521821"#, nil, nil),
        ] as [(String, String?, String?)])
    func verbatim(members: String, status: String?, eventTime: String?) throws {
        let json = body(#"{"EventType":"X",\#(members)}"#)
        let envelope = try EventParser.envelope(of: json)
        #expect(envelope.status == status)
        #expect(envelope.eventTime == eventTime)
        let event = try EventParser.parse(json)
        #expect(event.status == status)
        #expect(event.eventTime?.raw == eventTime)
    }

    @Test("Code, Message, CompleteTime and Extend are optional strings")
    func optionalStrings() throws {
        let full = try EventParser.parse(
            body(
                """
                {"EventType":"X","Code":"0","Message":"OK","CompleteTime":"2026-11-24T12:04:05Z","Extend":"{\\"a\\":1}"}
                """))
        #expect(full.code == "0")
        #expect(full.message == "OK")
        #expect(full.completeTime == "2026-11-24T12:04:05Z")
        #expect(full.extend == #"{"a":1}"#)
        let bare = try EventParser.parse(body(#"{"EventType":"X","Code":0,"Extend":{"a":1}}"#))
        #expect(bare.code == nil && bare.message == nil && bare.completeTime == nil && bare.extend == nil)
        #expect(bare.fields["Extend"] == ["a": 1])
    }

    @Test("a repeated member keeps one value, the same for envelope and parse")
    func repeatedMember() throws {
        let json = body(#"{"EventType":"A","JobId":"first","JobId":"second"}"#)
        let envelope = try EventParser.envelope(of: json)
        #expect(try EventParser.parse(json).envelope == envelope)
        #expect(envelope.jobId == "first" || envelope.jobId == "second")
    }

    @Test(
        "a number beyond Double's range is not JSON to either entry point",
        arguments: [
            "1e400", "-1E400", "1e-400", "2e-324",
            "1" + String(repeating: "0", count: 400),
            "0." + String(repeating: "0", count: 400) + "1",
        ])
    func unrepresentableNumber(number: String) {
        let json = body(#"{"EventType":"X","Huge":\#(number)}"#)
        #expect(throws: EventRejection.notJSON) { try EventParser.envelope(of: json) }
        #expect(throws: EventRejection.notJSON) { try EventParser.parse(json) }
    }

    @Test(
        "numbers at the edges of Double's range are accepted",
        arguments: [
            ("1.7976931348623157e308", .greatestFiniteMagnitude), ("5e-324", .leastNonzeroMagnitude),
            ("2.2250738585072014e-308", .leastNormalMagnitude), ("3e-324", .leastNonzeroMagnitude),
            ("0e999", 0), ("-0.0e-999", 0), ("123456789012345678901234567890", 1.2345678901234568e29),
        ] as [(String, Double)])
    func edgeNumbers(number: String, value: Double) throws {
        let event = try EventParser.parse(body(#"{"EventType":"X","N":\#(number)}"#))
        #expect(event.fields["N"] == .number(value))
    }

    @Test("a built event gives the same envelope back")
    func builtEvent() {
        let event = VODEvent(
            eventType: "AIVideoTagComplete", jobId: "j", mediaId: "m", status: "success",
            eventTime: EventTime(raw: "2026-11-24T12:03:41Z"))
        #expect(
            event.envelope
                == EventEnvelope(
                    eventType: "AIVideoTagComplete", jobId: "j", mediaId: "m",
                    status: "success", eventTime: "2026-11-24T12:03:41Z"))
        #expect(event.family == .aiVideoTag)
    }
}
