import Foundation
import Testing
import VODHookCore

@Suite("Submit input and plan")
struct SubmitInputTests {
    static let defaults = SubmitInput.Defaults(types: ["AIVideoTag"], aiConfig: #"{"AIVideoTag":{"AnalyseTypes":"ASR"}}"#)

    @Test("plain MediaIds one a line, comments and blank lines skipped, defaults applied") func plain() throws {
        let items = try SubmitInput.parse("# batch\nm1\n\n  m2  \n", defaults: Self.defaults)
        #expect(items.map(\.mediaId) == ["m1", "m2"])
        #expect(items.allSatisfy { $0.types == ["AIVideoTag"] && $0.aiConfig == Self.defaults.aiConfig })
        #expect(items.map(\.origin) == ["line 2", "line 4"])
    }

    @Test("JSON Lines: types as text or list, JSON parameters as text or objects, mixed with plain lines") func jsonLines() throws
    {
        let text = """
            {"media_id": "m1", "types": "AIVideoTag, AIMediaDNA"}
            {"media_id": "m2", "types": ["AIMediaDNA"], "ai_config": {"b": 1, "a": "x/y"}, "user_data": "{\\"Extend\\":{}}"}
            m3
            """
        let items = try SubmitInput.parse(text, defaults: Self.defaults)
        #expect(items.map(\.types) == [["AIVideoTag", "AIMediaDNA"], ["AIMediaDNA"], ["AIVideoTag"]])
        #expect(items[1].aiConfig == #"{"a":"x/y","b":1}"#)
        #expect(items[1].userData == #"{"Extend":{}}"#)
        #expect(items[0].aiConfig == Self.defaults.aiConfig)
    }

    @Test(
        "every mistake names its line",
        arguments: [
            ("m1\nm1\n", "line 2: media m1 is already on line 1"),
            ("m1\nm 2\n", "line 2: \"m 2\" is not a MediaId (ASCII, no spaces or commas)"),
            (
                #"{"media_id": "m1", "types": "AIFaceMagic"}"#,
                "line 1: unknown AI type \"AIFaceMagic\"; SubmitAIJob takes AIVideoTag, AIMediaDNA"
            ),
            (#"{"types": "AIVideoTag"}"#, "line 1: no media_id"),
            (#"{"media_id": "m1", "ai_config": "not json"}"#, "line 1: ai_config is not a JSON object"),
            ("{not json", "line 1: not a JSON object with media_id, types, ai_config, user_data"),
            (#"{"media_id": "m1", "types": "AIVideoTag,AIVideoTag"}"#, "line 1: a type is listed twice"),
        ])
    func mistakes(text: String, message: String) {
        #expect(throws: SubmitInputError.self) { try SubmitInput.parse(text, defaults: Self.defaults) }
        do {
            _ = try SubmitInput.parse(text, defaults: Self.defaults)
        } catch {
            #expect(error.description.hasPrefix(message), "\(error)")
        }
    }

    @Test("--callback-url sets MessageCallback and keeps the rest of UserData") func callbackURL() throws {
        let merged = try SubmitInput.userData(
            #"{"Extend":{"localId":"42"}}"#, callbackURL: "https://hooks.example.com/vod/callback")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(merged.utf8)) as? [String: Any])
        #expect((object["Extend"] as? [String: String])?["localId"] == "42")
        let callback = try #require(object["MessageCallback"] as? [String: String])
        #expect(callback == ["CallbackURL": "https://hooks.example.com/vod/callback", "CallbackType": "http"])
        #expect(merged.contains("https://hooks.example.com/vod/callback"))
        #expect(try SubmitInput.userData(nil, callbackURL: "http://x/").contains("MessageCallback"))
    }

    @Test("a plan skips what the ledger has (accepted or unknown), retries what VOD refused, and --force skips nothing")
    func plan() {
        var book = JobBook()
        book.absorb(Lines.submitted(1, job: "j1", media: "m1"))
        book.absorb(Lines.submitted(2, job: nil, media: "m2", outcome: .refused))
        book.absorb(Lines.submitted(3, job: nil, media: "m3", outcome: .unknown))
        book.absorb(Lines.event(4, job: "j9", media: "m4"))  // someone else's job: not ours to skip
        // A call whose process died before the answer (its `sending` line alone), and one settled as refused.
        book.absorb(Lines.submitted(5, job: nil, media: "m5", outcome: .sending))
        book.absorb(Lines.submitted(6, job: nil, media: "m6", outcome: .sending))
        book.absorb(Lines.submitted(7, job: nil, media: "m6", outcome: .refused, intent: 6))
        let items = ["m1", "m2", "m3", "m4", "m5", "m6"].map { SubmitItem(mediaId: $0, types: ["AIVideoTag", "AIMediaDNA"]) }
        let plan = SubmitPlan(items: items, book: book, force: false)
        #expect(plan.work.map(\.mediaId) == ["m1", "m2", "m3", "m4", "m5", "m6"])
        #expect(
            plan.work.map(\.types) == [
                ["AIMediaDNA"], ["AIVideoTag", "AIMediaDNA"], ["AIMediaDNA"], ["AIVideoTag", "AIMediaDNA"],
                ["AIMediaDNA"], ["AIVideoTag", "AIMediaDNA"],
            ])
        #expect(plan.skipped == 3 && plan.skippedUnknown == 2)
        let forced = SubmitPlan(items: items, book: book, force: true)
        #expect(forced.work == items && forced.skipped == 0)
    }
}
