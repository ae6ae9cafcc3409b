/// One AI job that `vodhook submit` asked VOD for: a `submitted` ledger line.
///
/// Each call is recorded twice: a `sending` line, durable before the request leaves, and the
/// result line once VOD answers, pointing back at it by `intent_seq`. A process killed between
/// the two leaves a `sending` line with no result: a job may exist (VOD has no idempotency
/// token), so it counts as `unknown` and a rerun does not submit it again.
///
/// A `SubmitAIJob` call for several types gives one record per type, all with the call's
/// `request_id`. A call VOD refused, or one whose answer never came, is recorded too (with
/// `outcome` `refused` or `unknown` and no `job_id`), so a batch knows what to resume and a
/// billed job that may exist is never forgotten.
public struct SubmissionRecord: Sendable, Hashable, Codable {
    /// What VOD said.
    public enum Outcome: String, Sendable, Hashable, Codable, CaseIterable {
        /// VOD created the job: `job_id` is set.
        case accepted
        /// VOD answered with an error: no job exists; `error` says why.
        case refused
        /// The request may have arrived but no answer came: a job may exist (docs/vod.md §3.4).
        case unknown
        /// Written before the call; the result line that follows names it by `intent_seq`.
        /// Left alone (the process died during the call), it reads as `unknown`.
        case sending
    }

    /// Why VOD refused, or what went wrong.
    public struct Failure: Sendable, Hashable, Codable {
        /// VOD's `Code` (`Throttling`, `InvalidParameter`, …); nil when VOD did not answer.
        public var code: String?
        public var message: String
        /// VOD's `RequestId` of the failed call, for support tickets.
        public var requestId: String?
        public var httpStatus: Int?

        public init(code: String?, message: String, requestId: String? = nil, httpStatus: Int? = nil) {
            self.code = code
            self.message = message
            self.requestId = requestId
            self.httpStatus = httpStatus
        }

        enum CodingKeys: String, CodingKey {
            case code, message
            case requestId = "request_id"
            case httpStatus = "http_status"
        }
    }

    public var outcome: Outcome
    public var mediaId: String
    /// The AI type (`AIVideoTag`, `AIMediaDNA`): written as `type`.
    public var aiType: String
    /// VOD's JobId; set exactly when `outcome` is `accepted`.
    public var jobId: String?
    /// VOD's `RequestId` of the accepted call.
    public var requestId: String?
    /// The `Config` JSON text sent, verbatim.
    public var aiConfig: String?
    /// The `UserData` JSON text sent, verbatim.
    public var userData: String?
    /// The JobId of the first job of a re-submission chain (this job's own for a first attempt).
    public var chain: String?
    /// 1 for a first submission; n for the n-th job of a chain.
    public var attempt: Int
    /// The JobId this job re-submits (the chain's previous job), if any.
    public var resubmitOf: String?
    public var error: Failure?
    /// A result's `sending` line: the seq of the line written before the call.
    public var intentSeq: UInt64?

    public init(
        outcome: Outcome, mediaId: String, aiType: String, jobId: String? = nil, requestId: String? = nil,
        aiConfig: String? = nil, userData: String? = nil, chain: String? = nil, attempt: Int = 1,
        resubmitOf: String? = nil, error: Failure? = nil, intentSeq: UInt64? = nil
    ) {
        self.outcome = outcome
        self.mediaId = mediaId
        self.aiType = aiType
        self.jobId = jobId
        self.requestId = requestId
        self.aiConfig = aiConfig
        self.userData = userData
        self.chain = chain ?? (outcome == .accepted ? jobId : nil)
        self.attempt = attempt
        self.resubmitOf = resubmitOf
        self.error = error
        self.intentSeq = intentSeq
    }

    enum CodingKeys: String, CodingKey {
        case outcome
        case mediaId = "media_id"
        case aiType = "type"
        case jobId = "job_id"
        case requestId = "request_id"
        case aiConfig = "ai_config"
        case userData = "user_data"
        case chain, attempt
        case resubmitOf = "resubmit_of"
        case error
        case intentSeq = "intent_seq"
    }

    /// The AI type whose completion event this is (`AIVideoTagComplete` → `AIVideoTag`), if any.
    public static func aiType(ofEventType eventType: String) -> String? {
        guard isAICompletion(eventType) else { return nil }
        return String(eventType.dropLast("Complete".count))
    }

    /// Whether `eventType` is an AI job's completion (`AI…Complete`), without building a string.
    public static func isAICompletion(_ eventType: String) -> Bool {
        eventType.utf8.count > "AIComplete".utf8.count && eventType.hasPrefix("AI") && eventType.hasSuffix("Complete")
    }
}

extension SubmissionRecord.Failure: CustomStringConvertible {
    /// `Code: message (RequestId …)`, for messages and logs.
    public var description: String {
        var text = code.map { "\($0): " } ?? ""
        text += message
        if let requestId { text += " (RequestId \(requestId))" }
        return text
    }
}
