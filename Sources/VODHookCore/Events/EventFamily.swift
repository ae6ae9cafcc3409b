/// Which kind of callback an `EventType` names; decides how `Data` is typed.
///
/// "VideoAIComplete" is the console's name for the AI family, never an `EventType`:
/// AI results arrive as `AIVideoTagComplete`, `AIMediaDNAComplete` and `AIMediaAuditComplete`.
public enum EventFamily: Sendable, Hashable {
    /// `AIVideoTagComplete`: `Data` is a `TagResult`.
    case aiVideoTag
    /// `AIMediaDNAComplete`: `Data` is a `DNAResult`.
    case aiMediaDNA
    /// `AIMediaAuditComplete`: `Data` is an `AuditResult`.
    case aiMediaAudit
    /// Any other `EventType` of the form `AI…Complete`, carried verbatim.
    case otherAI(String)
    /// Everything else (upload, transcode, unknown future types), carried verbatim.
    case media(String)

    /// Classifies an `EventType` exactly (case-sensitive); never fails.
    public init(eventType: String) {
        switch eventType {
        case "AIVideoTagComplete": self = .aiVideoTag
        case "AIMediaDNAComplete": self = .aiMediaDNA
        case "AIMediaAuditComplete": self = .aiMediaAudit
        case _ where eventType.hasPrefix("AI") && eventType.hasSuffix("Complete"):
            self = .otherAI(eventType)
        default: self = .media(eventType)
        }
    }

    /// True for the AI cases, known or not.
    public var isAI: Bool {
        switch self {
        case .aiVideoTag, .aiMediaDNA, .aiMediaAudit, .otherAI: true
        case .media: false
        }
    }
}
