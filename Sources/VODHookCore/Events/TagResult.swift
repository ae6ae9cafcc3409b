/// The `Data` of `AIVideoTagComplete` (docs/vod.md §2.3). Every key is optional; times VOD sends
/// as strings stay strings; unknown keys are ignored here (the event's `fields` keep them).
public struct TagResult: Sendable, Hashable, Decodable {
    /// `Keyword` tags.
    public var keyword: [Entry]?
    /// `Person` tags; entries may carry `FaceUrl`.
    public var person: [Entry]?
    /// `Location` tags.
    public var location: [Entry]?
    /// `Time` tags.
    public var time: [Entry]?
    /// `Category` tags; entries may carry only `Tag`.
    public var category: [Entry]?
    /// `OrigASRData`, present only when ASR was requested in the job's `Config`.
    public var origASRData: ASRData?

    /// One tag and where it occurs.
    public struct Entry: Sendable, Hashable, Decodable {
        /// `Tag`, the label (any language).
        public var tag: String?
        /// `Times`, offsets in milliseconds as strings.
        public var times: [String]?
        /// `FaceUrl` (person tags).
        public var faceUrl: String?

        private enum CodingKeys: String, CodingKey {
            case tag = "Tag"
            case times = "Times"
            case faceUrl = "FaceUrl"
        }
    }

    /// Speech recognition output.
    public struct ASRData: Sendable, Hashable, Decodable {
        /// `Duration` in milliseconds, as a string.
        public var duration: String?
        /// `AsrTextList`, one sentence each.
        public var asrTextList: [ASRSentence]?

        private enum CodingKeys: String, CodingKey {
            case duration = "Duration"
            case asrTextList = "AsrTextList"
        }
    }

    /// One recognised sentence; times are integer milliseconds, as VOD documents them.
    public struct ASRSentence: Sendable, Hashable, Decodable {
        /// `StartTime`, ms.
        public var startTime: Int?
        /// `EndTime`, ms.
        public var endTime: Int?
        /// `Text`.
        public var text: String?
        /// `ChannelId`.
        public var channelId: Int?
        /// `SpeechRate`.
        public var speechRate: Int?

        private enum CodingKeys: String, CodingKey {
            case startTime = "StartTime"
            case endTime = "EndTime"
            case text = "Text"
            case channelId = "ChannelId"
            case speechRate = "SpeechRate"
        }
    }

    private enum CodingKeys: String, CodingKey {
        case keyword = "Keyword"
        case person = "Person"
        case location = "Location"
        case time = "Time"
        case category = "Category"
        case origASRData = "OrigASRData"
    }
}
