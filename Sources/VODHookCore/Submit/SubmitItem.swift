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

    public init(mediaId: String, types: [String], aiConfig: String? = nil, userData: String? = nil, origin: String = "--media-id") {
        self.mediaId = mediaId
        self.types = types
        self.aiConfig = aiConfig
        self.userData = userData
        self.origin = origin
    }

    /// The AI types `SubmitAIJob` takes (docs/vod.md §3.2).
    public static let knownTypes = ["AIVideoTag", "AIMediaDNA"]
}

extension SubmitItem {
    /// The `sending` records written before its call, one per type, in `types` order: the
    /// result records name their seqs as `intent_seq`.
    public var intents: [SubmissionRecord] {
        types.map { SubmissionRecord(outcome: .sending, mediaId: mediaId, aiType: $0, aiConfig: aiConfig, userData: userData) }
    }
}
