import Testing
import VODHookCore

@Suite struct EventRejectionTests {
    /// An object with a valid EventType whose "x" member nests arrays to a total depth of `depth`
    /// (the top-level object counts as level 1).
    private func nested(depth: Int) -> [UInt8] {
        let inner = depth - 1
        return Array(#"{"EventType":"FileUploadComplete","x":"#.utf8)
            + [UInt8](repeating: UInt8(ascii: "["), count: inner)
            + [UInt8](repeating: UInt8(ascii: "]"), count: inner)
            + Array("}".utf8)
    }

    @Test(
        "bodies are refused with the first problem found, by both entry points",
        arguments: [
            ([0x7B, 0x22, 0x45, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D], EventRejection.notUTF8),  // {"E":"<C3 28>"}
            (Array(#"{"EventType":"X","s":""#.utf8) + [0xC0, 0xAF] + Array(#""}"#.utf8), .notUTF8),  // overlong "/"
            (Array(#"{"EventType":"X","s":""#.utf8) + [0xED, 0xA0, 0x80] + Array(#""}"#.utf8), .notUTF8),  // surrogate
            (Array(#"{"EventType":"X","s":""#.utf8) + [0xF4, 0x90, 0x80, 0x80] + Array(#""}"#.utf8), .notUTF8),
            (Array(#"{"EventType":"X"}"#.utf8) + [0xE2, 0x82], .notUTF8),  // truncated sequence at the end
            ([0xFF] + Array(String(repeating: "[", count: 1000).utf8), .notUTF8),  // UTF-8 is checked before depth
            ([], .notJSON),
            (Array("   ".utf8), .notJSON),
            (Array(#"{"EventType":"X""#.utf8), .notJSON),
            (Array(#"{"EventType":"X"} trailing"#.utf8), .notJSON),
            (Array(#"{EventType:"X"}"#.utf8), .notJSON),
            (Array(#"{"EventType":"X",}"#.utf8), .notJSON),  // Foundation alone would take this
            (Array(#"{"EventType":'X'}"#.utf8), .notJSON),
            (Array("]]]]{}".utf8), .notJSON),
            (Array(#"[{"EventType":"X"}]"#.utf8), .notAnObject),
            (Array(#""EventType""#.utf8), .notAnObject),
            (Array("42".utf8), .notAnObject),
            (Array("null".utf8), .notAnObject),
            (Array("true".utf8), .notAnObject),
            (Array("{}".utf8), .missingEventType),
            (Array(#"{"eventtype":"X"}"#.utf8), .missingEventType),
            (Array(#"{"EventType":""}"#.utf8), .missingEventType),
            (Array(#"{"EventType":null}"#.utf8), .missingEventType),
            (Array(#"{"EventType":42}"#.utf8), .missingEventType),
            (Array(#"{"EventType":["X"]}"#.utf8), .missingEventType),
            (Array(#"{"EventType":{"Name":"X"}}"#.utf8), .missingEventType),
        ] as [([UInt8], EventRejection)])
    func refusals(body: [UInt8], expected: EventRejection) {
        #expect(throws: expected) { try EventParser.envelope(of: body) }
        #expect(throws: expected) { try EventParser.parse(body) }
    }

    @Test(
        "JSON that Foundation scans leniently or lazily is refused up front",
        arguments: [
            #""a":[1,]"#, #""a":{"b":1,}"#, #""a":[1,,2]"#, #""a":[,1]"#, #""a":01"#, #""a":-01"#, #""a":1."#,
            #""a":.5"#, #""a":1e"#, #""a":1e+"#, #""a":-"#, #""a":+1"#, #""a":NaN"#, #""a":Infinity"#,
            #""a":tru"#, #""a":nul"#, #""a":True"#, #""a":"\x41""#, #""a":"\u12""#, #""a":"\u12G4""#,
            #""a":"\ud800""#, #""a":"\udc00""#, #""a":"\ud83dx""#, #""a":"\ud83d\u0041""#,
            "\"a\":\"tab\there\"", "\"a\":\"nul\u{0}\"", #""a":1 "b":2"#, #""a" 1"#, #"a:1"#,
            #""a":'x'"#, #""a":/*c*/1"#, #""a":[1 2]"#,
        ])
    func strictSyntax(member: String) {
        let body = Array(#"{"EventType":"X",\#(member)}"#.utf8)
        #expect(throws: EventRejection.notJSON) { try EventParser.envelope(of: body) }
        #expect(throws: EventRejection.notJSON) { try EventParser.parse(body) }
    }

    @Test(
        "every RFC 8259 form is accepted",
        arguments: [
            (#""a":[]"#, JSONValue.array([])), (#""a":{}"#, [:]), (#""a":-0"#, .number(-0.0)), (#""a":0.5"#, 0.5),
            (#""a":1E+2"#, 100), (#""a":1e-2"#, 0.01), (#""a":-12.5e1"#, -125), (#""a":true"#, true),
            (#""a":null"#, .null), (#""a":"\"\\\/\b\f\n\r\t""#, "\"\\/\u{8}\u{C}\n\r\t"),
            (#""a":"\u0000\u00e9\uD83D\uDE00""#, "\u{0}é😀"), (#""a" : [ 1 , { "b" : 2 } ] "#, [1, ["b": 2]]),
            ("\"a\":\"\u{7F}\"", "\u{7F}"),
        ] as [(String, JSONValue)])
    func rfcForms(member: String, value: JSONValue) throws {
        let body = Array(" \t\r\n{\"EventType\":\"X\",\(member)}\n".utf8)
        #expect(try EventParser.envelope(of: body).eventType == "X")
        #expect(try EventParser.parse(body).fields["a"] == value)
    }

    @Test("valid multi-byte UTF-8 is accepted and kept exactly")
    func multiByteText() throws {
        let text = "Ã( 徒步 🏔️ \u{10FFFF}"
        let event = try EventParser.parse(Array(#"{"EventType":"X","Tag":"\#(text)"}"#.utf8))
        #expect(event.fields["Tag"]?.stringValue == text)
    }

    @Test("nesting up to maxDepth is accepted and one level more is tooDeep")
    func depthLimit() throws {
        #expect(EventParser.maxDepth == 64)
        let accepted = try EventParser.envelope(of: nested(depth: 64))
        #expect(accepted.eventType == "FileUploadComplete")
        let parsed = try EventParser.parse(nested(depth: 64))
        #expect(parsed.fields["x"]?[0]?[0] != nil)
        #expect(throws: EventRejection.tooDeep) { try EventParser.envelope(of: nested(depth: 65)) }
        #expect(throws: EventRejection.tooDeep) { try EventParser.parse(nested(depth: 65)) }
    }

    @Test("100000 levels of nesting are tooDeep without touching the stack", arguments: ["[", "{\"a\":"])
    func hugeNesting(opener: String) {
        let body = Array(String(repeating: opener, count: 100_000).utf8)
        #expect(throws: EventRejection.tooDeep) { try EventParser.envelope(of: body) }
        #expect(throws: EventRejection.tooDeep) { try EventParser.parse(body) }
    }

    @Test("brackets inside strings, escaped quotes included, do not count toward depth")
    func bracketsInStrings() throws {
        let brackets = String(repeating: "[{", count: 200)
        let body = Array(#"{"EventType":"X","a":"\#(brackets)","b":"\\\"\#(brackets)\\\\","c":"\"["}"#.utf8)
        let event = try EventParser.parse(body)
        #expect(event.fields["a"]?.stringValue == brackets)
        #expect(event.fields["b"]?.stringValue == #"\"# + "\"" + brackets + #"\\"#)
        #expect(event.fields["c"] == "\"[")
    }

    @Test("closing brackets outside any opener cannot bank depth for later openers")
    func strayClosers() {
        let body = Array((String(repeating: "]", count: 100) + String(repeating: "[", count: 100)).utf8)
        #expect(throws: EventRejection.tooDeep) { try EventParser.envelope(of: body) }
    }

    @Test(
        "each rejection has a short fixed reason",
        arguments: [
            (EventRejection.notUTF8, "body is not valid UTF-8"),
            (.notJSON, "body is not valid JSON"),
            (.notAnObject, "body is not a JSON object"),
            (.missingEventType, "body has no EventType string"),
            (.tooDeep, "body nests deeper than 64 levels"),
        ] as [(EventRejection, String)])
    func reasons(rejection: EventRejection, reason: String) {
        #expect(rejection.reason == reason)
    }
}
