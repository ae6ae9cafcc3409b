import Testing
import VODHookCore

@Suite("Handler matching")
struct HandlerMatchTests {
    static func event(
        _ type: String = "AIVideoTagComplete", status: String? = "success", media: String? = "4fef0a", job: String? = "b848",
        seq: UInt64 = 7, correlatedTo submission: UInt64? = nil
    ) -> LedgerEntry {
        var entry = LedgerEntry(seq: seq, at: 0, kind: .event, eventType: type, jobId: job, mediaId: media, status: status)
        entry.submissionSeq = submission
        return entry
    }

    @Test("no condition matches every event, and never another kind of line")
    func empty() {
        #expect(HandlerMatch().matches(Self.event()))
        #expect(HandlerMatch().matches(Self.event("FileUploadComplete", job: nil)))
        #expect(!HandlerMatch().matches(LedgerEntry(seq: 1, at: 0, kind: .submitted, jobId: "b848", mediaId: "4fef")))
        #expect(!HandlerMatch().matches(LedgerEntry(seq: 1, at: 0, kind: .handled)))
    }

    @Test("VideoAIComplete stands for the three AI result types and nothing else")
    func family() {
        let match = HandlerMatch(eventTypes: HandlerMatch.expand(eventType: "VideoAIComplete"))
        for type in ["AIVideoTagComplete", "AIMediaDNAComplete", "AIMediaAuditComplete"] {
            #expect(match.matches(Self.event(type)), "\(type)")
        }
        for type in ["FileUploadComplete", "VideoAIComplete", "AIVideoCoverComplete", "aivideotagcomplete"] {
            #expect(!match.matches(Self.event(type)), "\(type)")
        }
        #expect(HandlerMatch.expand(eventType: "AIMediaDNAComplete") == ["AIMediaDNAComplete"])
    }

    @Test("status, AI type, media prefix and correlation must all hold")
    func conditions() {
        let match = HandlerMatch(statuses: ["fail"], aiTypes: ["AIVideoTag"], mediaPrefix: "4fe", correlated: true)
        #expect(match.matches(Self.event(status: "fail", correlatedTo: 3)))
        #expect(!match.matches(Self.event(status: "success", correlatedTo: 3)))
        #expect(!match.matches(Self.event(status: nil, correlatedTo: 3)))
        #expect(!match.matches(Self.event("AIMediaDNAComplete", status: "fail", correlatedTo: 3)))
        #expect(!match.matches(Self.event("FileUploadComplete", status: "fail", correlatedTo: 3)))
        #expect(!match.matches(Self.event(status: "fail", media: "04fe", correlatedTo: 3)))
        #expect(!match.matches(Self.event(status: "fail", media: nil, correlatedTo: 3)))
        #expect(!match.matches(Self.event(status: "fail")))
        #expect(HandlerMatch(correlated: false).matches(Self.event()))
        #expect(!HandlerMatch(correlated: false).matches(Self.event(correlatedTo: 1)))
    }

    @Test("the handlers an event reaches, in config order, from the config file")
    func fromConfig() throws {
        let specs = try HandlerConfig.parse(yaml: Array(HandlerConfigTests.issueExample.utf8))
        #expect(HandlerSpec.matching(Self.event(), in: specs).map(\.name) == ["save", "notify"])
        #expect(HandlerSpec.matching(Self.event(status: "fail"), in: specs).map(\.name) == ["notify", "retry"])
        #expect(HandlerSpec.matching(Self.event("AIMediaAuditComplete", status: "fail"), in: specs).map(\.name) == ["retry"])
        #expect(HandlerSpec.matching(Self.event("FileUploadComplete"), in: specs).isEmpty)
    }
}
