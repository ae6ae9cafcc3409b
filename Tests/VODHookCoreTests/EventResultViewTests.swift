import Testing

@testable import VODHookCore

@Suite("An event's result as the job page shows it")
struct EventResultViewTests {
    static func view(_ type: String) throws -> EventResultView {
        let body = try #require(
            SampleEvent.body(type: type, jobId: "j", mediaId: "m", status: "success", eventTime: "2026-11-24T12:03:41Z"))
        return EventResultView(try EventParser.parse(Array(body.utf8)).data)
    }

    @Test("tags with their group and times") func tags() throws {
        let view = try Self.view("AIVideoTagComplete")
        #expect(view.kind == "tag")
        #expect(
            view.tags == [
                .init(group: "Keyword", tag: "mountain", times: "1000, 4000"), .init(group: "Keyword", tag: "徒步", times: "2000"),
                .init(group: "Category", tag: "Travel", times: ""),
            ])
    }

    @Test("DNA matches with their segments") func dna() throws {
        let view = try Self.view("AIMediaDNAComplete")
        #expect(
            view.matches == [
                .init(primaryKey: "9b0e2c7d41a64f2f8d3c5e6a7b8c9d0e", similarity: "0.99", segments: "0.0+14.0 ~ 0.5+14.4")
            ])
    }

    @Test("audit verdicts, overall and per module") func audit() throws {
        let view = try Self.view("AIMediaAuditComplete")
        #expect(view.verdicts.first == .init(module: "overall", suggestion: "pass", label: "normal", maxScore: "-"))
    }

    @Test("no Data, and Data of another shape kept as text") func other() {
        #expect(EventResultView(.absent).kind == "none")
        let other = EventResultView(.other(.object(["A": .string("<b>")])))
        #expect(other.kind == "other" && other.raw == #"{"A":"<b>"}"#)
    }
}
