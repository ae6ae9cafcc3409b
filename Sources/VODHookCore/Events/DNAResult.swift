/// The `Data` of `AIMediaDNAComplete` (docs/vod.md §2.3). Every key is optional; VOD's numbers
/// (similarity, seconds) are strings and stay strings; unknown keys are ignored here.
/// An empty `videoDNA` presumably means no match (undocumented).
public struct DNAResult: Sendable, Hashable, Decodable {
    /// `VideoDNA`, one entry per matching library video.
    public var videoDNA: [Match]?

    /// A library video the submitted one duplicates.
    public struct Match: Sendable, Hashable, Decodable {
        /// `PrimaryKey`, the matching library video.
        public var primaryKey: String?
        /// `Similarity`, `"0".."1"` as a string (`"1"` = 100%).
        public var similarity: String?
        /// `Detail`, the duplicated segments.
        public var detail: [Segment]?

        private enum CodingKeys: String, CodingKey {
            case primaryKey = "PrimaryKey"
            case similarity = "Similarity"
            case detail = "Detail"
        }
    }

    /// A segment of the submitted video and the library segment it duplicates.
    public struct Segment: Sendable, Hashable, Decodable {
        /// `Input`, the span in the submitted video.
        public var input: Span?
        /// `Duplication`, the span in the library video.
        public var duplication: Span?

        private enum CodingKeys: String, CodingKey {
            case input = "Input"
            case duplication = "Duplication"
        }
    }

    /// A span in seconds, both numbers as strings.
    public struct Span: Sendable, Hashable, Decodable {
        /// `Start`, seconds.
        public var start: String?
        /// `Duration`, seconds.
        public var duration: String?

        private enum CodingKeys: String, CodingKey {
            case start = "Start"
            case duration = "Duration"
        }
    }

    private enum CodingKeys: String, CodingKey {
        case videoDNA = "VideoDNA"
    }
}
