/// What the request path needs of a callback body: enough to classify, dedup and log it.
public struct EventEnvelope: Sendable, Equatable {
    /// `EventType`, always a non-empty string.
    public var eventType: String
    /// `JobId` when it is a non-empty string (AI events).
    public var jobId: String?
    /// `MediaId` when a non-empty string, else `VideoId` when a non-empty string (media events).
    public var mediaId: String?
    /// `Status` verbatim when it is a string ("success", "fail" or anything else).
    public var status: String?
    /// `EventTime` verbatim when it is a string; see `EventTime` for its parsed form.
    public var eventTime: String?

    /// An envelope from already-known values (for tests and callers that build events by hand).
    public init(
        eventType: String, jobId: String? = nil, mediaId: String? = nil,
        status: String? = nil, eventTime: String? = nil
    ) {
        self.eventType = eventType
        self.jobId = jobId
        self.mediaId = mediaId
        self.status = status
        self.eventTime = eventTime
    }

    /// The family `eventType` belongs to.
    public var family: EventFamily { EventFamily(eventType: eventType) }

    /// The one place the envelope rules live, shared by the cheap probe and the full parse
    /// so both read a body the same way. Arguments are the members that were strings.
    static func checked(
        eventType: String?, jobId: String?, mediaId: String?, videoId: String?,
        status: String?, eventTime: String?
    ) throws(EventRejection) -> EventEnvelope {
        guard let eventType, !eventType.isEmpty else { throw .missingEventType }
        return EventEnvelope(
            eventType: eventType, jobId: nonEmpty(jobId),
            mediaId: nonEmpty(mediaId) ?? nonEmpty(videoId),
            status: status, eventTime: eventTime)
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }
}
