import Foundation

/// An event's decoded AI result, flattened for a page and its JSON: tags with their times, DNA
/// matches with their segments, audit verdicts by module. Every value is text from the event,
/// for a template to escape.
public struct EventResultView: Sendable, Equatable, Encodable {
    public struct Tag: Sendable, Equatable, Encodable {
        /// Keyword, Person, Location, Time or Category.
        public var group: String
        public var tag: String
        /// Offsets as VOD sent them (milliseconds), joined by ", ".
        public var times: String
    }

    public struct Match: Sendable, Equatable, Encodable {
        public var primaryKey: String
        public var similarity: String
        /// `input start+duration ~ duplicate start+duration` per segment, joined by "; ".
        public var segments: String
    }

    public struct Verdict: Sendable, Equatable, Encodable {
        /// `overall`, `porn` or `terrorism`.
        public var module: String
        public var suggestion: String
        public var label: String
        public var maxScore: String
    }

    /// `tag`, `dna`, `audit`, `other` (JSON of another shape), `unparsable` or `none`.
    public var kind: String
    public var tags: [Tag] = []
    public var matches: [Match] = []
    public var verdicts: [Verdict] = []
    /// The `Data` as text when it has no typed shape.
    public var raw: String?

    public init(_ data: EventData) {
        switch data {
        case .absent: kind = "none"
        case .tag(let result):
            kind = "tag"
            let groups: [(String, [TagResult.Entry]?)] = [
                ("Keyword", result.keyword), ("Person", result.person), ("Location", result.location),
                ("Time", result.time), ("Category", result.category),
            ]
            tags = groups.flatMap { group, entries in
                (entries ?? []).map { Tag(group: group, tag: $0.tag ?? "-", times: ($0.times ?? []).joined(separator: ", ")) }
            }
        case .dna(let result):
            kind = "dna"
            matches = (result.videoDNA ?? []).map { match in
                Match(
                    primaryKey: match.primaryKey ?? "-", similarity: match.similarity ?? "-",
                    segments: (match.detail ?? []).map { Self.text($0.input) + " ~ " + Self.text($0.duplication) }
                        .joined(separator: "; "))
            }
        case .audit(let result):
            kind = "audit"
            verdicts = [
                Verdict(module: "overall", suggestion: result.suggestion ?? "-", label: result.label ?? "-", maxScore: "-")
            ]
            for (name, module) in [("porn", result.videoResult?.pornResult), ("terrorism", result.videoResult?.terrorismResult)] {
                guard let module else { continue }
                verdicts.append(
                    Verdict(
                        module: name, suggestion: module.suggestion ?? "-", label: module.label ?? "-",
                        maxScore: module.maxScore ?? "-"))
            }
        case .other(let value):
            kind = "other"
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            raw = (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) }
        case .unparsable(let text):
            kind = "unparsable"
            raw = text
        }
    }

    private static func text(_ span: DNAResult.Span?) -> String {
        "\(span?.start ?? "?")+\(span?.duration ?? "?")"
    }
}
