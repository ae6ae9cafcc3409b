/// One media to submit, with the AI types and the parameters to send for it.
public struct SubmitItem: Sendable, Hashable {
    public var mediaId: String
    public var types: [String]
    /// The `Config` JSON text.
    public var aiConfig: String?
    /// The `UserData` JSON text.
    public var userData: String?
    /// Where it came from, for messages: `line 12`, or `--media-id`.
    public var origin: String
    /// Set when this submits a failed job again: the place of the new job in its chain.
    public var resubmission: Resubmission?

    public init(
        mediaId: String, types: [String], aiConfig: String? = nil, userData: String? = nil, origin: String = "--media-id",
        resubmission: Resubmission? = nil
    ) {
        self.mediaId = mediaId
        self.types = types
        self.aiConfig = aiConfig
        self.userData = userData
        self.origin = origin
        self.resubmission = resubmission
    }

    /// The AI types `SubmitAIJob` takes (docs/vod.md §3.2).
    public static let knownTypes = ["AIVideoTag", "AIMediaDNA"]
}

extension SubmitItem {
    /// The `sending` records written before its call, one per type, in `types` order: the
    /// result records name their seqs as `intent_seq`.
    public var intents: [SubmissionRecord] {
        types.map {
            SubmissionRecord(
                outcome: .sending, mediaId: mediaId, aiType: $0, aiConfig: aiConfig, userData: userData,
                chain: resubmission?.chain, attempt: resubmission?.attempt ?? 1, resubmitOf: resubmission?.of)
        }
    }
}

/// A job's place in a re-submission chain: its `chain`, `attempt` and `resubmit_of` fields.
public struct Resubmission: Sendable, Hashable {
    /// The JobId of the chain's first job.
    public var chain: String
    /// The new job's number in the chain (2 for the first re-submission).
    public var attempt: Int
    /// The failed JobId it submits again.
    public var of: String

    public init(chain: String, attempt: Int, of: String) {
        self.chain = chain
        self.attempt = attempt
        self.of = of
    }
}
