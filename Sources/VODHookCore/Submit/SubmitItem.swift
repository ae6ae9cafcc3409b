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

    /// The AI types `SubmitAIJob` takes (REFERENCE §3.2).
    public static let knownTypes = ["AIVideoTag", "AIMediaDNA"]
}
