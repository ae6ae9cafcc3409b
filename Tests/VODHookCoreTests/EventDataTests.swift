import Foundation
import Testing
import VODHookCore

@Suite struct EventDataTests {
    /// The sample with its Data member replaced by `data` (removed when nil).
    private func variant(of file: String, data: JSONValue?) throws -> [UInt8] {
        var object = try EventFixtures.sampleObject(file)
        object["Data"] = data
        return try EventFixtures.body(object)
    }

    /// The sample's Data as the object it encodes (tag and DNA samples send a string).
    private func decodedData(of file: String) throws -> JSONValue {
        let object = try EventFixtures.sampleObject(file)
        let text = try #require(object["Data"]?.stringValue)
        return try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    /// `value` serialised to a JSON string, as VOD sends tag and DNA results.
    private func encoded(_ value: JSONValue) throws -> JSONValue {
        .string(String(decoding: try JSONEncoder().encode(value), as: UTF8.self))
    }

    @Test(
        "Data as a JSON string and as a nested object give the same typed result",
        arguments: ["ai-video-tag-complete.json", "ai-media-dna-complete.json", "ai-media-audit-complete.json"])
    func stringOrObject(file: String) throws {
        let original = try EventFixtures.sampleObject(file)["Data"]
        let object = original?.stringValue == nil ? try #require(original) : try decodedData(of: file)
        let asObject = try EventParser.parse(try variant(of: file, data: object))
        let asString = try EventParser.parse(try variant(of: file, data: try encoded(object)))
        let asSent = try EventParser.parse(try EventFixtures.sample(file))
        #expect(asObject.data == asSent.data)
        #expect(asString.data == asSent.data)
        #expect(["tag", "dna", "audit"].contains(EventFixtures.kind(asObject.data)))
        // `fields` shows what was sent: the string stays a string, the object an object.
        #expect(asString.fields["Data"]?.stringValue != nil)
        #expect(asObject.fields["Data"]?.objectValue != nil)
    }

    @Test(
        "a Data string that is not JSON is kept raw as .unparsable",
        arguments: ["{\"Keyword\":[", "not json", "   ", "{'VideoDNA':[]}", "[1,]"])
    func unparsable(text: String) throws {
        let event = try EventParser.parse(try variant(of: "ai-video-tag-complete.json", data: .string(text)))
        #expect(event.data == .unparsable(raw: text))
        #expect(event.fields["Data"] == .string(text))
    }

    @Test("a Data string nested past maxDepth is .unparsable, not decoded")
    func deepDataString() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let event = try EventParser.parse(try variant(of: "ai-media-dna-complete.json", data: .string(deep)))
        #expect(event.data == .unparsable(raw: deep))
    }

    @Test(
        "missing, null, empty-string and encoded-null Data are all .absent",
        arguments: [nil, JSONValue.null, "", "null"] as [JSONValue?])
    func absent(data: JSONValue?) throws {
        let event = try EventParser.parse(try variant(of: "ai-media-dna-complete.json", data: data))
        #expect(event.data == .absent)
    }

    @Test(
        "Data of the wrong shape for a known AI event falls back to .other",
        arguments: [
            ("ai-video-tag-complete.json", #"{"Keyword":"mountain"}"#, JSONValue.object(["Keyword": "mountain"])),
            ("ai-video-tag-complete.json", "[1,2]", [1, 2]),
            ("ai-media-dna-complete.json", #"{"VideoDNA":[{"Similarity":0.99}]}"#, ["VideoDNA": [["Similarity": 0.99]]]),
            (
                "ai-media-audit-complete.json", #"{"VideoResult":{"PornResult":{"CounterList":[{"Count":"6"}]}}}"#,
                ["VideoResult": ["PornResult": ["CounterList": [["Count": "6"]]]]]
            ),
            ("ai-media-dna-complete.json", "42", 42),
            ("ai-media-dna-complete.json", #""{\"VideoDNA\":[]}""#, #"{"VideoDNA":[]}"#),
        ] as [(String, String, JSONValue)])
    func wrongShape(file: String, dataText: String, expected: JSONValue) throws {
        let event = try EventParser.parse(try variant(of: file, data: .string(dataText)))
        #expect(event.data == .other(expected))
    }

    @Test("non-string, non-object Data is used as is")
    func scalarData() throws {
        let event = try EventParser.parse(try variant(of: "ai-video-tag-complete.json", data: [true, 1.5]))
        #expect(event.data == .other([true, 1.5]))
    }

    @Test("an empty object is a typed result with every key absent")
    func emptyObject() throws {
        let tag = try EventParser.parse(try variant(of: "ai-video-tag-complete.json", data: "{}"))
        let dna = try EventParser.parse(try variant(of: "ai-media-dna-complete.json", data: [:]))
        guard case .tag(let tags) = tag.data, case .dna(let matches) = dna.data else {
            Issue.record("expected .tag and .dna, got \(tag.data) and \(dna.data)")
            return
        }
        #expect(tags.keyword == nil && tags.category == nil && tags.origASRData == nil)
        #expect(matches.videoDNA == nil)
    }

    @Test("an empty VideoDNA list is a DNA result with no matches")
    func emptyDNA() throws {
        let event = try EventParser.parse(try variant(of: "ai-media-dna-complete.json", data: #"{"VideoDNA":[]}"#))
        guard case .dna(let dna) = event.data else {
            Issue.record("expected .dna, got \(event.data)")
            return
        }
        #expect(dna.videoDNA == [])
    }

    @Test(
        "Data of media and unknown AI events is .other, decoded from a string too",
        arguments: [
            "FileUploadComplete", "AIFooComplete", "SomethingNew",
        ])
    func untypedFamilies(eventType: String) throws {
        var object = try EventFixtures.sampleObject("ai-video-tag-complete.json")
        object["EventType"] = .string(eventType)
        let tagData = try decodedData(of: "ai-video-tag-complete.json")
        let fromString = try EventParser.parse(try EventFixtures.body(object))
        object["Data"] = tagData
        let fromObject = try EventParser.parse(try EventFixtures.body(object))
        #expect(fromString.data == .other(tagData))
        #expect(fromObject.data == .other(tagData))
        object["Data"] = "not json"
        #expect(try EventParser.parse(try EventFixtures.body(object)).data == .unparsable(raw: "not json"))
    }
}
