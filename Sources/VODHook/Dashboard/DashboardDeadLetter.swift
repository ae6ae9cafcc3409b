public import VODHookCore

/// One dead letter as `vodhook dead` shows it: `/api/dead` encodes it, `/dead` renders it.
public struct DashboardDeadLetter: Sendable, Encodable {
    public var handler: String
    public var eventSeq: UInt64
    /// Absent when the event line is no longer in the ledger files (archived).
    public var eventType: String?
    public var jobId: String?
    public var mediaId: String?
    public var status: String?
    public var attempts: Int
    public var reason: String?
    /// When it died, UTC RFC 3339.
    public var at: String
    public var replays: Int
    /// The job's page (not in the JSON).
    public var link: String?

    private enum CodingKeys: String, CodingKey {
        case handler, eventSeq, eventType, jobId, mediaId, status, attempts, reason, at, replays
    }

    public init(_ pair: DeadLetters.Pair) {
        let letter = pair.outcome
        let event = pair.event
        handler = letter.handler
        eventSeq = letter.eventSeq
        eventType = event?.eventType
        jobId = event?.jobId
        mediaId = event?.mediaId
        status = event?.status
        attempts = letter.death?.attempts ?? letter.runs
        reason = letter.death?.reason
        at = EventTime.rfc3339(milliseconds: letter.death?.at ?? letter.lastAt)
        replays = letter.replays
        link = event?.jobId.map(DashboardLink.job)
    }
}
