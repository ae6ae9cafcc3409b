/// Which events a handler takes: every condition given must hold; one not given holds always.
public struct HandlerMatch: Sendable, Hashable {
    /// `EventType`s, with `VideoAIComplete` already expanded to the AI family.
    public var eventTypes: Set<String>?
    /// `Status` values, compared exactly (`success`, `fail`).
    public var statuses: Set<String>?
    /// AI types (`AIVideoTag`): the `EventType` without `Complete`.
    public var aiTypes: Set<String>?
    /// The start of the `MediaId`.
    public var mediaPrefix: String?
    /// Whether the event answers a job vodhook submitted.
    public var correlated: Bool?

    /// The console's name for the AI family, never an `EventType` of its own (see ``EventFamily``).
    public static let aiFamilyName = "VideoAIComplete"
    /// What ``aiFamilyName`` stands for.
    public static let aiFamily: Set<String> = ["AIVideoTagComplete", "AIMediaDNAComplete", "AIMediaAuditComplete"]

    public init(
        eventTypes: Set<String>? = nil, statuses: Set<String>? = nil, aiTypes: Set<String>? = nil,
        mediaPrefix: String? = nil, correlated: Bool? = nil
    ) {
        self.eventTypes = eventTypes
        self.statuses = statuses
        self.aiTypes = aiTypes
        self.mediaPrefix = mediaPrefix
        self.correlated = correlated
    }

    /// Whether the ledger line is an event this handler takes; never true of other kinds.
    public func matches(_ entry: LedgerEntry) -> Bool {
        guard entry.kind == .event else { return false }
        if let eventTypes, !eventTypes.contains(entry.eventType ?? "") { return false }
        if let statuses, !statuses.contains(entry.status ?? "") { return false }
        if let aiTypes {
            guard let type = entry.eventType.flatMap(SubmissionRecord.aiType(ofEventType:)), aiTypes.contains(type)
            else { return false }
        }
        if let mediaPrefix, !(entry.mediaId ?? "").hasPrefix(mediaPrefix) { return false }
        if let correlated, correlated != (entry.submissionSeq != nil) { return false }
        return true
    }

    /// The names handlers use for `eventTypes`: the family name for each family member.
    public static func expand(eventType name: String) -> Set<String> {
        name == aiFamilyName ? aiFamily : [name]
    }
}

extension HandlerSpec {
    /// The handlers, in config order, that take this line.
    public static func matching(_ entry: LedgerEntry, in handlers: [HandlerSpec]) -> [HandlerSpec] {
        handlers.filter { $0.match.matches(entry) }
    }
}
