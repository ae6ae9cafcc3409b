/// The `Data` of `AIMediaAuditComplete` (docs/vod.md §2.3). Every key is optional; scores stay
/// strings; image and text results are kept as JSON; unknown keys are ignored here.
public struct AuditResult: Sendable, Hashable, Decodable {
    /// `Suggestion`: `pass`, `review` or `block` (verbatim).
    public var suggestion: String?
    /// `Label`, the overall label.
    public var label: String?
    /// `AbnormalModules`, e.g. `"video"`.
    public var abnormalModules: String?
    /// `VideoResult`.
    public var videoResult: VideoResult?
    /// `ImageResult`, untyped.
    public var imageResult: [JSONValue]?
    /// `TextResult`, untyped.
    public var textResult: [JSONValue]?

    /// The video part of the audit.
    public struct VideoResult: Sendable, Hashable, Decodable {
        /// `Suggestion`.
        public var suggestion: String?
        /// `Label`.
        public var label: String?
        /// `PornResult`.
        public var pornResult: Module?
        /// `TerrorismResult`.
        public var terrorismResult: Module?

        private enum CodingKeys: String, CodingKey {
            case suggestion = "Suggestion"
            case label = "Label"
            case pornResult = "PornResult"
            case terrorismResult = "TerrorismResult"
        }
    }

    /// One audit module's verdict over the video's frames.
    public struct Module: Sendable, Hashable, Decodable {
        /// `Suggestion`.
        public var suggestion: String?
        /// `Label`.
        public var label: String?
        /// `MaxScore`, as a string.
        public var maxScore: String?
        /// `AverageScore`, as a string.
        public var averageScore: String?
        /// `CounterList`, frames per label.
        public var counterList: [Counter]?
        /// `TopList`, the highest-scoring frames.
        public var topList: [Frame]?

        private enum CodingKeys: String, CodingKey {
            case suggestion = "Suggestion"
            case label = "Label"
            case maxScore = "MaxScore"
            case averageScore = "AverageScore"
            case counterList = "CounterList"
            case topList = "TopList"
        }
    }

    /// How many frames got a label.
    public struct Counter: Sendable, Hashable, Decodable {
        /// `Label`.
        public var label: String?
        /// `Count`, an integer.
        public var count: Int?

        private enum CodingKeys: String, CodingKey {
            case label = "Label"
            case count = "Count"
        }
    }

    /// One flagged frame.
    public struct Frame: Sendable, Hashable, Decodable {
        /// `Label`.
        public var label: String?
        /// `Score`, as a string.
        public var score: String?
        /// `Timestamp`, milliseconds as a string.
        public var timestamp: String?
        /// `Url` of the frame image (kept about two weeks by VOD).
        public var url: String?

        private enum CodingKeys: String, CodingKey {
            case label = "Label"
            case score = "Score"
            case timestamp = "Timestamp"
            case url = "Url"
        }
    }

    private enum CodingKeys: String, CodingKey {
        case suggestion = "Suggestion"
        case label = "Label"
        case abnormalModules = "AbnormalModules"
        case videoResult = "VideoResult"
        case imageResult = "ImageResult"
        case textResult = "TextResult"
    }
}
