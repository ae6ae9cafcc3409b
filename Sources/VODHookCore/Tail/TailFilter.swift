/// The filters of `vodhook tail`: a line is shown when it matches every filter given (and any
/// one value of a filter given several times).
public struct TailFilter: Sendable, Equatable {
    /// Event type (`AIMediaDNAComplete`) or AI type of a submission (`AIVideoTag`).
    public var types: Set<String> = []
    /// The status shown: an event's `status`, a submission's outcome, a handler run's result.
    public var statuses: Set<String> = []
    public var jobs: Set<String> = []
    public var media: Set<String> = []
    public var kinds: Set<String> = []
    /// Lines from this instant on (Unix milliseconds).
    public var since: Int64?

    public init() {}

    /// Filters a handler line cannot match by itself (it names no type, job or media).
    var selectsEvents: Bool { !(types.isEmpty && jobs.isEmpty && media.isEmpty) }

    /// Whether `entry` is shown. A handler line (`handled`, `dead`, `replay`) matches `--status`
    /// by its own status (ok, failed, dead); under the type, job and media filters it is shown
    /// when its event was (`eventShown`).
    func admits(_ entry: LedgerEntry, eventShown: Bool) -> Bool {
        if !kinds.isEmpty, !kinds.contains(entry.kind.description) { return false }
        if let since, entry.at < since { return false }
        guard Self.matches(statuses, TailFormatter.status(of: entry)) else { return false }
        if entry.kind.isHandlerLine, selectsEvents { return eventShown }
        return Self.matches(types, entry.eventType ?? entry.aiType)
            && Self.matches(jobs, entry.jobId)
            && Self.matches(media, entry.mediaId)
    }

    /// Whether a line that is no ledger object is shown: only when no filter is given.
    var admitsUnreadable: Bool { self == TailFilter() }

    private static func matches(_ wanted: Set<String>, _ value: String?) -> Bool {
        wanted.isEmpty || value.map(wanted.contains) == true
    }
}
