/// One run of a handler on an event: a `handled` ledger line.
///
/// The dispatcher's whole state is in these lines: an event has a final outcome for a handler
/// once a `handled` line says `ok` or a ``DeadRecord`` gives it up; anything else is dispatched
/// again at start. They carry no dedup key and no link to a submission: `event_seq` names the event.
public struct HandledRecord: Sendable, Hashable, Codable {
    /// How the run ended.
    public enum Result: String, Sendable, Hashable, Codable, CaseIterable {
        case ok
        case failed
    }

    /// The handler's `name` in the config.
    public var handler: String
    /// The seq of the event line.
    public var eventSeq: UInt64
    /// 1 for the first run of this handler on this event.
    public var attempt: Int
    public var result: Result
    public var durationMs: Int64
    /// Why it failed, on one short line (see ``HandlerOutcomeText``); nil when ok.
    public var reason: String?

    public init(handler: String, eventSeq: UInt64, attempt: Int, result: Result, durationMs: Int64, reason: String? = nil) {
        self.handler = handler
        self.eventSeq = eventSeq
        self.attempt = attempt
        self.result = result
        self.durationMs = durationMs
        self.reason = reason.map(HandlerOutcomeText.short)
    }

    enum CodingKeys: String, CodingKey {
        case handler
        case eventSeq = "event_seq"
        case attempt, result
        case durationMs = "duration_ms"
        case reason
    }
}

/// A handler gave an event up after its last retry: a `dead` ledger line, its final outcome
/// until `vodhook replay` dispatches it again.
public struct DeadRecord: Sendable, Hashable, Codable {
    public var handler: String
    public var eventSeq: UInt64
    /// Runs made in all.
    public var attempts: Int
    /// Why the last run failed, on one short line.
    public var reason: String?

    public init(handler: String, eventSeq: UInt64, attempts: Int, reason: String?) {
        self.handler = handler
        self.eventSeq = eventSeq
        self.attempts = attempts
        self.reason = reason.map(HandlerOutcomeText.short)
    }

    enum CodingKeys: String, CodingKey {
        case handler
        case eventSeq = "event_seq"
        case attempts, reason
    }
}

/// The `reason` of a handler outcome: one line of at most ``limit`` characters, so a program
/// that prints a megabyte on failure does not put it in the ledger.
public enum HandlerOutcomeText {
    public static let limit = 200

    public static func short(_ text: String) -> String {
        let line = text.map { $0.isNewline || $0 == "\0" ? " " : $0 }
        return line.count > limit ? String(line.prefix(limit - 1)) + "…" : String(line)
    }
}
