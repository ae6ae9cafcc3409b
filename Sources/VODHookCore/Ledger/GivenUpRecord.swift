/// A `resubmit` handler reached its chain's limit: a `given_up` ledger line. The chain's last
/// job failed and no further job will be submitted for it; `vodhook job` and `vodhook jobs` show
/// that job as `given_up` from this line alone (the limit is config, not in the ledger).
public struct GivenUpRecord: Sendable, Hashable, Codable {
    /// The handler's `name` in the config.
    public var handler: String
    /// The seq of the fail event that met the limit.
    public var eventSeq: UInt64
    /// The chain's last job, the one that failed.
    public var jobId: String
    public var mediaId: String?
    public var aiType: String?
    /// The JobId of the chain's first job.
    public var chain: String
    /// Jobs the chain holds (the last one's `attempt`).
    public var attempts: Int

    public init(handler: String, eventSeq: UInt64, jobId: String, mediaId: String?, aiType: String?, chain: String, attempts: Int)
    {
        self.handler = handler
        self.eventSeq = eventSeq
        self.jobId = jobId
        self.mediaId = mediaId
        self.aiType = aiType
        self.chain = chain
        self.attempts = attempts
    }

    enum CodingKeys: String, CodingKey {
        case handler
        case eventSeq = "event_seq"
        case jobId = "job_id"
        case mediaId = "media_id"
        case aiType = "type"
        case chain, attempts
    }
}
