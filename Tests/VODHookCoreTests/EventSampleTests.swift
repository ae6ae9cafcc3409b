import Foundation
import Testing
import VODHookCore

@Suite struct EventSampleTests {
    @Test(
        "every callback sample gives the right envelope and typed event",
        arguments: [
            (
                "ai-video-tag-complete.json", "AIVideoTagComplete", EventFamily.aiVideoTag,
                "b848292fe928dccbff92402b56903ffb", "4fefd4f434d07c2005373156a727d707", "success", "tag"
            ),
            (
                "ai-media-dna-complete.json", "AIMediaDNAComplete", .aiMediaDNA,
                "499dad9b611fd23eda328a31ee3a1a90", "4fefd4f434d07c2005373156a727d707", "success", "dna"
            ),
            (
                "ai-job-fail.json", "AIVideoTagComplete", .aiVideoTag,
                "6bd66e4ae600ed8144fbfc1b266926e8", "fac6f180d4b7e9bcf004525f66c01148", "fail", "absent"
            ),
            (
                "ai-media-audit-complete.json", "AIMediaAuditComplete", .aiMediaAudit,
                "df1aae572aca5fe956c173835f7d053e", "e7b4287763ffc70374d1e96cebfadaa7", "success", "audit"
            ),
            (
                "file-upload-complete.json", "FileUploadComplete", .media("FileUploadComplete"),
                nil, "4fefd4f434d07c2005373156a727d707", "success", "absent"
            ),
        ] as [(String, String, EventFamily, String?, String?, String, String)])
    func sample(
        file: String, eventType: String, family: EventFamily, jobId: String?, mediaId: String?,
        status: String, dataKind: String
    ) throws {
        let body = try EventFixtures.sample(file)
        let envelope = try EventParser.envelope(of: body)
        #expect(envelope.eventType == eventType)
        #expect(envelope.family == family)
        #expect(envelope.jobId == jobId)
        #expect(envelope.mediaId == mediaId)
        #expect(envelope.status == status)

        let event = try EventParser.parse(body)
        #expect(event.envelope == envelope)
        #expect(event.family == family)
        #expect(EventFixtures.kind(event.data) == dataKind)
        #expect(event.eventTime?.millisecondsSinceEpoch != nil)
    }

    @Test("the tag sample's Data string decodes to tags, CJK included")
    func tagSample() throws {
        let event = try EventParser.parse(try EventFixtures.sample("ai-video-tag-complete.json"))
        guard case .tag(let tags) = event.data else {
            Issue.record("expected .tag, got \(event.data)")
            return
        }
        #expect(tags.keyword?.map(\.tag) == ["mountain", "徒步", "sunrise"])
        #expect(tags.keyword?[1].times == ["2000", "8410"])
        #expect(tags.person?.first?.tag == "Sam")
        #expect(tags.person?.first?.faceUrl?.hasSuffix("/Index_00016.jpg") == true)
        #expect(tags.location?.first?.times == ["8410"])
        #expect(tags.category?.map(\.tag) == ["Travel"])
        #expect(tags.category?.first?.times == nil)
        #expect(tags.time == nil)
        #expect(tags.origASRData == nil)
        #expect(event.code == "0")
        #expect(event.message == "OK")
        #expect(event.eventTime == EventTime(raw: "2026-11-24T12:03:41Z"))
        // `fields` keeps Data as the string VOD sent, not the decoded object.
        #expect(event.fields["Data"]?.stringValue?.contains("徒步") == true)
    }

    @Test("the DNA sample has a colon-millisecond EventTime, a CompleteTime and one match")
    func dnaSample() throws {
        let event = try EventParser.parse(try EventFixtures.sample("ai-media-dna-complete.json"))
        #expect(event.eventTime?.raw == "2026-11-24T12:04:05:318Z")
        #expect(event.eventTime?.millisecondsSinceEpoch == 1_795_521_845_318)
        #expect(event.completeTime == "2026-11-24T12:04:05Z")
        guard case .dna(let dna) = event.data, let match = dna.videoDNA?.first else {
            Issue.record("expected .dna with a match, got \(event.data)")
            return
        }
        #expect(dna.videoDNA?.count == 1)
        #expect(match.primaryKey == "9b0e2c7d41a64f2f8d3c5e6a7b8c9d0e")
        #expect(match.similarity == "0.99")
        #expect(match.detail?.first?.input?.start == "0.0")
        #expect(match.detail?.first?.input?.duration == "14.0")
        #expect(match.detail?.first?.duplication?.start == "0.5")
        #expect(match.detail?.first?.duplication?.duration == "14.4")
    }

    @Test("the audit sample's Data object decodes to an audit result")
    func auditSample() throws {
        let event = try EventParser.parse(try EventFixtures.sample("ai-media-audit-complete.json"))
        #expect(event.eventTime?.millisecondsSinceEpoch == 1_795_521_990_540)
        #expect(event.fields["Data"]?.objectValue != nil)
        guard case .audit(let audit) = event.data else {
            Issue.record("expected .audit, got \(event.data)")
            return
        }
        #expect(audit.suggestion == "review")
        #expect(audit.label == "porn")
        #expect(audit.abnormalModules == "video")
        #expect(audit.videoResult?.suggestion == "review")
        let porn = audit.videoResult?.pornResult
        #expect(porn?.label == "sexy")
        #expect(porn?.maxScore == "92.4800000000")
        #expect(porn?.averageScore == "81.7066666667")
        #expect(porn?.counterList?.map(\.count) == [0, 6, 10])
        #expect(porn?.topList?.first?.timestamp == "1005")
        #expect(porn?.topList?.first?.score == "92.4800000000")
        #expect(audit.videoResult?.terrorismResult?.suggestion == "pass")
        #expect(audit.videoResult?.terrorismResult?.counterList?.last?.count == 16)
        #expect(audit.imageResult?.first?["Type"] == "cover")
        #expect(audit.textResult?.first?["Content"] == "Weekend hike")
    }

    @Test("the fail sample has Code and Message and no Data")
    func failSample() throws {
        let event = try EventParser.parse(try EventFixtures.sample("ai-job-fail.json"))
        #expect(event.status == "fail")
        #expect(event.code == "InternalError")
        #expect(event.message == "The request processing has failed due to some unknown error.")
        #expect(event.data == .absent)
        #expect(event.fields["Data"] == nil)
    }

    @Test("the upload sample takes MediaId from VideoId and keeps Size, FileUrl and Extend")
    func uploadSample() throws {
        let event = try EventParser.parse(try EventFixtures.sample("file-upload-complete.json"))
        #expect(event.mediaId == "4fefd4f434d07c2005373156a727d707")
        #expect(event.jobId == nil)
        #expect(event.extend == #"{"localId":"clip-0042"}"#)
        #expect(event.fields["Size"] == 1_439_213)
        #expect(event.fields["Size"]?.int64Value == 1_439_213)
        #expect(event.fields["FileUrl"]?.stringValue?.hasSuffix(".mp4") == true)
        #expect(event.fields["VideoId"] == "4fefd4f434d07c2005373156a727d707")
    }

    @Test(
        "API response samples are not callbacks: they have no EventType",
        arguments: EventFixtures.responseSamples)
    func responseSamples(file: String) throws {
        let body = try EventFixtures.sample(file)
        #expect(throws: EventRejection.missingEventType) { try EventParser.envelope(of: body) }
        #expect(throws: EventRejection.missingEventType) { try EventParser.parse(body) }
    }
}
