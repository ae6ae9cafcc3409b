import Foundation
import Testing
import VODHookCore

@Suite struct AIResultTests {
    private func decode<Result: Decodable>(_ type: Result.Type, _ json: String) throws -> Result {
        try JSONDecoder().decode(type, from: Data(json.utf8))
    }

    @Test("tag results read ASR data with integer times and keep string durations")
    func asr() throws {
        let tags = try decode(
            TagResult.self,
            """
            {"Time":[{"Tag":"dawn","Times":["0"]}],"OrigASRData":{"Duration":"15000","AsrTextList":[
              {"StartTime":120,"EndTime":2310,"Text":"早上好","ChannelId":0,"SpeechRate":180}]},"Scene":"ignored"}
            """)
        #expect(tags.time?.first?.tag == "dawn")
        #expect(tags.origASRData?.duration == "15000")
        let sentence = try #require(tags.origASRData?.asrTextList?.first)
        #expect(sentence.startTime == 120)
        #expect(sentence.endTime == 2310)
        #expect(sentence.text == "早上好")
        #expect(sentence.channelId == 0)
        #expect(sentence.speechRate == 180)
    }

    @Test(
        "typed results reject VOD strings sent as numbers, so the event falls back to .other",
        arguments: [
            #"{"Keyword":[{"Tag":"x","Times":[1000]}]}"#,
            #"{"OrigASRData":{"Duration":15000}}"#,
        ])
    func tagTypes(json: String) {
        #expect(throws: (any Error).self) { try decode(TagResult.self, json) }
    }

    @Test("DNA and audit results ignore unknown keys")
    func unknownKeys() throws {
        let dna = try decode(DNAResult.self, #"{"VideoDNA":[{"PrimaryKey":"k","Extra":1}],"Other":true}"#)
        #expect(dna.videoDNA?.first?.primaryKey == "k")
        let audit = try decode(AuditResult.self, #"{"Suggestion":"block","LogoResult":{"Label":"x"}}"#)
        #expect(audit.suggestion == "block")
        #expect(audit.videoResult == nil)
    }
}
