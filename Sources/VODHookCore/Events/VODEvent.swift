/// A callback body fully read: the envelope, the optional common fields, typed `Data`,
/// and every top-level member as JSON (unknown ones included).
///
/// Handlers and queries use this; the request path only needs `EventEnvelope`.
/// The raw body stays the record of truth: `fields` is a reading of it, not a copy to re-serialise.
public struct VODEvent: Sendable, Equatable {
    /// `EventType`, a non-empty string.
    public var eventType: String
    /// `JobId` when a non-empty string.
    public var jobId: String?
    /// `MediaId` when a non-empty string, else `VideoId` when a non-empty string.
    public var mediaId: String?
    /// `Status` verbatim when a string.
    public var status: String?
    /// `Code` when a string (`"0"` on success; failure codes are undocumented).
    public var code: String?
    /// `Message` when a string.
    public var message: String?
    /// `CompleteTime` verbatim when a string.
    public var completeTime: String?
    /// `Extend` (the submitter's `UserData.Extend`) verbatim when a string.
    public var extend: String?
    /// `EventTime` when a string: raw text plus epoch milliseconds for the three VOD formats.
    public var eventTime: EventTime?
    /// `Data` decoded (see `EventData` for the cases).
    public var data: EventData
    /// Every top-level member, as parsed.
    public var fields: [String: JSONValue]

    /// An event from already-known values (for handler tests); `parse` is the normal way in.
    public init(
        eventType: String, jobId: String? = nil, mediaId: String? = nil, status: String? = nil,
        code: String? = nil, message: String? = nil, completeTime: String? = nil,
        extend: String? = nil, eventTime: EventTime? = nil, data: EventData = .absent,
        fields: [String: JSONValue] = [:]
    ) {
        self.eventType = eventType
        self.jobId = jobId
        self.mediaId = mediaId
        self.status = status
        self.code = code
        self.message = message
        self.completeTime = completeTime
        self.extend = extend
        self.eventTime = eventTime
        self.data = data
        self.fields = fields
    }

    /// The family `eventType` belongs to.
    public var family: EventFamily { EventFamily(eventType: eventType) }

    /// The same envelope `EventParser.envelope(of:)` returns for the body this was parsed from.
    public var envelope: EventEnvelope {
        EventEnvelope(
            eventType: eventType, jobId: jobId, mediaId: mediaId, status: status,
            eventTime: eventTime?.raw)
    }
}
