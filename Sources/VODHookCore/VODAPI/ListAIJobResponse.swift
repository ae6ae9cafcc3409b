/// VOD's answer to `ListAIJob` (docs/vod.md §3.5): the jobs it knows, and the IDs it does not.
public struct ListAIJobResponse: Sendable, Hashable, Decodable {
    /// One job's state: `AIJobList.AIJob[]`. Only `JobId` is required; VOD omits the rest at times
    /// (no `Data` or `CompleteTime` on a failed or running job).
    public struct Job: Sendable, Hashable, Decodable {
        /// The job's ID.
        public var jobId: String
        /// The media the job analyses.
        public var mediaId: String?
        /// The AI type, e.g. `AIVideoTag`.
        public var type: String?
        /// `success`, `fail`, `init` or `processing` (kept as text: VOD may add others).
        public var status: String?
        /// `0` on success, an error code on failure.
        public var code: String?
        /// VOD's message for ``code``.
        public var message: String?
        /// When the job was created, as VOD wrote it (e.g. `2026-11-24T12:03:02Z`).
        public var creationTime: String?
        /// When the job finished, as VOD wrote it.
        public var completeTime: String?
        /// The result: usually a string holding JSON, kept as whatever JSON VOD sent.
        public var data: JSONValue?

        /// Creates a job entry.
        public init(
            jobId: String, mediaId: String? = nil, type: String? = nil, status: String? = nil,
            code: String? = nil, message: String? = nil, creationTime: String? = nil,
            completeTime: String? = nil, data: JSONValue? = nil
        ) {
            self.jobId = jobId
            self.mediaId = mediaId
            self.type = type
            self.status = status
            self.code = code
            self.message = message
            self.creationTime = creationTime
            self.completeTime = completeTime
            self.data = data
        }

        /// Whether the job has finished, well or badly (`success` or `fail`).
        public var isFinished: Bool { status == "success" || status == "fail" }

        private enum CodingKeys: String, CodingKey {
            case jobId = "JobId"
            case mediaId = "MediaId"
            case type = "Type"
            case status = "Status"
            case code = "Code"
            case message = "Message"
            case creationTime = "CreationTime"
            case completeTime = "CompleteTime"
            case data = "Data"
        }
    }

    /// VOD's `RequestId`; for a merged answer, the first call's.
    public var requestId: String
    /// The jobs VOD knows, in its order.
    public var jobs: [Job]
    /// The asked-for IDs VOD does not know (`NonExistAIJobIds.String`).
    public var nonExistentJobIds: [String]

    /// Creates a response.
    public init(requestId: String, jobs: [Job], nonExistentJobIds: [String] = []) {
        self.requestId = requestId
        self.jobs = jobs
        self.nonExistentJobIds = nonExistentJobIds
    }

    /// Decodes a response body.
    public static func decode(_ body: [UInt8]) throws(VODResponseDecodingError) -> ListAIJobResponse {
        try VODAPIDecoding.decode(ListAIJobResponse.self, from: body)
    }

    /// Joins answers to several calls: jobs and unknown IDs concatenated in call order, the first
    /// `RequestId` kept. `nil` for no answers.
    public static func merged(_ parts: [ListAIJobResponse]) -> ListAIJobResponse? {
        guard let first = parts.first else { return nil }
        return ListAIJobResponse(
            requestId: first.requestId, jobs: parts.flatMap(\.jobs),
            nonExistentJobIds: parts.flatMap(\.nonExistentJobIds))
    }

    private enum CodingKeys: String, CodingKey {
        case requestId = "RequestId"
        case jobList = "AIJobList"
        case nonExistent = "NonExistAIJobIds"
    }

    private enum ListKeys: String, CodingKey {
        case jobs = "AIJob"
    }

    private enum StringKeys: String, CodingKey {
        case string = "String"
    }

    /// Reads `{RequestId, AIJobList: {AIJob: [...]}, NonExistAIJobIds: {String: [...] | "..."}}`;
    /// an absent list or an absent `NonExistAIJobIds` is empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        requestId = try container.decode(String.self, forKey: .requestId)
        if container.contains(.jobList), try !container.decodeNil(forKey: .jobList) {
            let list = try container.nestedContainer(keyedBy: ListKeys.self, forKey: .jobList)
            jobs = try list.decodeIfPresent([Job].self, forKey: .jobs) ?? []
        } else {
            jobs = []
        }
        nonExistentJobIds = []
        if container.contains(.nonExistent), try !container.decodeNil(forKey: .nonExistent) {
            let ids = try container.nestedContainer(keyedBy: StringKeys.self, forKey: .nonExistent)
            // VOD's XML-to-JSON mapping writes a one-element list as a bare string.
            if let many = try? ids.decodeIfPresent([String].self, forKey: .string) {
                nonExistentJobIds = many
            } else if let one = try ids.decodeIfPresent(String.self, forKey: .string) {
                nonExistentJobIds = [one]
            }
        }
    }
}
