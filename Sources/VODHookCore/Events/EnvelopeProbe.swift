/// The envelope members of a top-level object as the request path reads them: each is the
/// member's string value, or nil when the member is absent or not a string.
///
/// Filled by `EnvelopeScanner` from bytes `JSONSyntax` has accepted. It reads members the way
/// Foundation's `JSONDecoder` did when this was a `Decodable` probe (the tests keep that probe
/// as the oracle and compare the two on every fixture and on generated and mutated bodies):
/// names are compared after unescaping, the first of duplicate names wins, and a first
/// occurrence that is not a string reads as absent even when a later one is a string.
struct EnvelopeProbe: Equatable {
    /// False when the top level is not an object (nothing else is read then).
    var isObject: Bool
    var eventType: String?
    var jobId: String?
    var mediaId: String?
    var videoId: String?
    var status: String?
    var eventTime: String?

    static let notAnObject = EnvelopeProbe(isObject: false)

    init(
        isObject: Bool, eventType: String? = nil, jobId: String? = nil, mediaId: String? = nil,
        videoId: String? = nil, status: String? = nil, eventTime: String? = nil
    ) {
        self.isObject = isObject
        self.eventType = eventType
        self.jobId = jobId
        self.mediaId = mediaId
        self.videoId = videoId
        self.status = status
        self.eventTime = eventTime
    }

    /// The envelope these members make, by the rules in `EventEnvelope.checked`.
    func envelope() throws(EventRejection) -> EventEnvelope {
        guard isObject else { throw .notAnObject }
        return try EventEnvelope.checked(
            eventType: eventType, jobId: jobId, mediaId: mediaId,
            videoId: videoId, status: status, eventTime: eventTime)
    }
}
