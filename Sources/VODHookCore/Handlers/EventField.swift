/// A value of an event that templates name in braces: `{job_id}`, `{media_id}`, `{status}`,
/// `{event_type}`, `{seq}`, `{ai_type}`.
public enum EventField: String, CaseIterable, Sendable, Hashable {
    case jobId = "job_id"
    case mediaId = "media_id"
    case status
    case eventType = "event_type"
    case seq
    /// The `EventType` without `Complete` (`AIVideoTag`); absent for events that are not AI results.
    case aiType = "ai_type"

    /// The value in a ledger event line, nil when the event has none.
    public func value(in entry: LedgerEntry) -> String? {
        switch self {
        case .jobId: entry.jobId
        case .mediaId: entry.mediaId
        case .status: entry.status
        case .eventType: entry.eventType
        case .seq: String(entry.seq)
        case .aiType: entry.eventType.flatMap(SubmissionRecord.aiType(ofEventType:))
        }
    }

    /// The placeholders, as written, for error messages.
    public static let placeholderList = allCases.map { "{\($0.rawValue)}" }.joined(separator: ", ")
}
