/// Realistic callback bodies, modelled on VOD's documented payloads, for `send-test-event`,
/// benchmarks and tests. Each is compact JSON, one line.
public enum SampleEvent {
    /// The event types a sample exists for.
    public static let types = ["AIVideoTagComplete", "AIMediaDNAComplete", "AIMediaAuditComplete", "FileUploadComplete"]

    /// A body for `type` with the given identifiers; `eventTime` is VOD's `yyyy-MM-ddTHH:mm:ssZ`.
    /// Returns nil for a type with no sample. A failed AI job carries Code/Message and no Data.
    public static func body(type: String, jobId: String, mediaId: String, status: String, eventTime: String) -> String? {
        let head = #"{"EventTime":"\#(eventTime)","EventType":"\#(type)""#
        let failed = status != "success"
        let outcome =
            failed
            ? #","Status":"\#(status)","Code":"InternalError","Message":"The request processing has failed due to some unknown error."}"#
            : #","Status":"success","Code":"0","Message":"OK","Data":\#(data(type) ?? "null")}"#
        switch type {
        case "AIVideoTagComplete", "AIMediaDNAComplete", "AIMediaAuditComplete":
            return head + #","JobId":"\#(jobId)","MediaId":"\#(mediaId)""# + outcome
        case "FileUploadComplete":
            return head + #","VideoId":"\#(mediaId)","Status":"\#(status)","Size":1439213,"#
                + #""FileUrl":"http://example-bucket.oss-cn-shanghai.aliyuncs.com/sv/\#(mediaId).mp4","#
                + #""Extend":"{\"localId\":\"clip-0042\"}"}"#
        default:
            return nil
        }
    }

    private static func data(_ type: String) -> String? {
        switch type {
        case "AIVideoTagComplete":
            // A JSON-encoded string, as VOD sends it, with a CJK tag.
            #""{\"Keyword\":[{\"Times\":[\"1000\",\"4000\"],\"Tag\":\"mountain\"},{\"Times\":[\"2000\"],\"Tag\":\"徒步\"}],\"Category\":[{\"Tag\":\"Travel\"}]}""#
        case "AIMediaDNAComplete":
            #""{\"VideoDNA\":[{\"Similarity\":\"0.99\",\"PrimaryKey\":\"9b0e2c7d41a64f2f8d3c5e6a7b8c9d0e\",\"Detail\":[{\"Input\":{\"Start\":\"0.0\",\"Duration\":\"14.0\"},\"Duplication\":{\"Start\":\"0.5\",\"Duration\":\"14.4\"}}]}]}""#
        case "AIMediaAuditComplete":
            // A nested object, as in the audit example.
            #"{"Suggestion":"pass","Label":"normal","VideoResult":{"Suggestion":"pass","Label":"normal"}}"#
        default:
            nil
        }
    }
}
