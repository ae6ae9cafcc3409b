/// VOD's answer to `SubmitAIJob` (docs/vod.md §3.3): one job per requested type.
///
/// Unknown members (older answers carried `Status`, `Code`, …) are ignored.
public struct SubmitAIJobResponse: Sendable, Hashable, Decodable {
    /// One submitted job: `AIJobList.AIJob[]`.
    public struct Job: Sendable, Hashable, Decodable {
        /// The AI type, e.g. `AIVideoTag`.
        public var type: String
        /// The job's ID, which its completion callback and `ListAIJob` name.
        public var jobId: String
        /// The media the job analyses.
        public var mediaId: String

        /// Creates a job entry.
        public init(type: String, jobId: String, mediaId: String) {
            self.type = type
            self.jobId = jobId
            self.mediaId = mediaId
        }

        private enum CodingKeys: String, CodingKey {
            case type = "Type"
            case jobId = "JobId"
            case mediaId = "MediaId"
        }
    }

    /// VOD's `RequestId`, for support tickets and the ledger.
    public var requestId: String
    /// The jobs created, in VOD's order.
    public var jobs: [Job]

    /// Creates a response.
    public init(requestId: String, jobs: [Job]) {
        self.requestId = requestId
        self.jobs = jobs
    }

    /// Decodes a response body.
    public static func decode(_ body: [UInt8]) throws(VODResponseDecodingError) -> SubmitAIJobResponse {
        try VODAPIDecoding.decode(SubmitAIJobResponse.self, from: body)
    }

    private enum CodingKeys: String, CodingKey {
        case requestId = "RequestId"
        case jobList = "AIJobList"
    }

    private enum ListKeys: String, CodingKey {
        case jobs = "AIJob"
    }

    /// Reads `{RequestId, AIJobList: {AIJob: [...]}}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        requestId = try container.decode(String.self, forKey: .requestId)
        let list = try container.nestedContainer(keyedBy: ListKeys.self, forKey: .jobList)
        jobs = try list.decode([Job].self, forKey: .jobs)
    }
}
