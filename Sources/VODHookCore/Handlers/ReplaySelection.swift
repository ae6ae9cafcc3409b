/// What `vodhook replay` is asked to run again: the dead letters (`--dead`), events chosen by
/// seq range, JobId, MediaId or event type, or both (dead letters of those events); of one
/// handler with `--handler`.
public struct ReplaySelection: Sendable, Equatable {
    public var dead = false
    public var seqs: ClosedRange<UInt64>?
    public var jobId: String?
    public var mediaId: String?
    /// `EventType`s, `VideoAIComplete` already expanded to the AI family.
    public var eventTypes: Set<String>?
    public var handler: String?

    public init(
        dead: Bool = false, seqs: ClosedRange<UInt64>? = nil, jobId: String? = nil, mediaId: String? = nil,
        eventTypes: Set<String>? = nil, handler: String? = nil
    ) {
        self.dead = dead
        self.seqs = seqs
        self.jobId = jobId
        self.mediaId = mediaId
        self.eventTypes = eventTypes
        self.handler = handler
    }

    /// Whether events are chosen by their own fields (not only as dead letters).
    public var choosesEvents: Bool { seqs != nil || jobId != nil || mediaId != nil || eventTypes != nil }

    /// Whether the event line is one of those chosen; every event when none of its fields is given.
    public func selects(event entry: LedgerEntry) -> Bool {
        guard entry.kind == .event else { return false }
        if let seqs, !seqs.contains(entry.seq) { return false }
        if let jobId, entry.jobId != jobId { return false }
        if let mediaId, entry.mediaId != mediaId { return false }
        if let eventTypes, !eventTypes.contains(entry.eventType ?? "") { return false }
        return true
    }

    /// `--seq`: `A-B` (both included), `A` alone, or `A-` (A and every later seq).
    public static func seqRange(_ text: String) -> ClosedRange<UInt64>? {
        let parts = text.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first, let low = UInt64(first) else { return nil }
        guard parts.count == 2 else { return low...low }
        if parts[1].isEmpty { return low...UInt64.max }
        guard let high = UInt64(parts[1]), high >= low else { return nil }
        return low...high
    }

    /// `--type`: event types, comma-separated; `VideoAIComplete` stands for the AI family.
    public static func eventTypes(_ text: String) -> Set<String>? {
        let names = text.split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
        guard !names.isEmpty else { return nil }
        return names.reduce(into: Set<String>()) { $0.formUnion(HandlerMatch.expand(eventType: $1)) }
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
