/// `vodhook replay` asks for a handler to run on an event again: a `replay` ledger line.
///
/// It reopens that (handler, event) with its attempts reset, whether the handler gave the event
/// up (`dead`) or finished it `ok`: the dispatcher absorbs it like any other line, so a replay
/// survives a restart, and the ledger says who asked for which run.
public struct ReplayRecord: Sendable, Hashable, Codable {
    /// The handler's `name` in the config.
    public var handler: String
    /// The seq of the event line.
    public var eventSeq: UInt64
    /// The event's JobId: events of one JobId reach a handler in ledger order, and the dispatcher
    /// learns the order of a reopened event from this line alone.
    public var jobId: String?

    public init(handler: String, eventSeq: UInt64, jobId: String?) {
        self.handler = handler
        self.eventSeq = eventSeq
        self.jobId = jobId
    }

    enum CodingKeys: String, CodingKey {
        case handler
        case eventSeq = "event_seq"
        case jobId = "job_id"
    }
}
