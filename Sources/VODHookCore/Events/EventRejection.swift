/// Why a callback body is refused before it is recorded; the request path answers 400 with `reason`.
public enum EventRejection: Error, Equatable, Sendable {
    /// The body is not valid UTF-8 (checked before anything else).
    case notUTF8
    /// The body is valid UTF-8 but not a JSON document.
    case notJSON
    /// The body is JSON, but its top level is not an object.
    case notAnObject
    /// The top-level object has no `EventType`, or it is not a non-empty string.
    case missingEventType
    /// `{`/`[` nest deeper than `EventParser.maxDepth`.
    case tooDeep

    /// A short, fixed, human-readable sentence for a 400 body; never echoes the input.
    public var reason: String {
        switch self {
        case .notUTF8: "body is not valid UTF-8"
        case .notJSON: "body is not valid JSON"
        case .notAnObject: "body is not a JSON object"
        case .missingEventType: "body has no EventType string"
        case .tooDeep: "body nests deeper than \(EventParser.maxDepth) levels"
        }
    }
}
