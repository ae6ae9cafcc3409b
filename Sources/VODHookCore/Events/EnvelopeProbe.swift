/// The request path's decode: reads only the envelope members of a top-level object, so
/// Foundation materialises six strings at most, however large the rest of the body is.
struct EnvelopeProbe: Decodable {
    /// False when the top level is not an object (decoding then reads nothing else).
    let isObject: Bool
    let eventType: String?
    let jobId: String?
    let mediaId: String?
    let videoId: String?
    let status: String?
    let eventTime: String?

    init(from decoder: any Decoder) throws {
        // Never throws: a non-object top level is recorded, not thrown, so that every error
        // out of JSONDecoder means the bytes were not JSON at all.
        guard let object = try? decoder.container(keyedBy: JSONKey.self) else {
            isObject = false
            eventType = nil; jobId = nil; mediaId = nil; videoId = nil; status = nil; eventTime = nil
            return
        }
        // A member of the wrong type reads as absent, like a missing one.
        func string(_ key: JSONKey) -> String? { try? object.decode(String.self, forKey: key) }
        isObject = true
        eventType = string(.eventType)
        jobId = string(.jobId)
        mediaId = string(.mediaId)
        videoId = string(.videoId)
        status = string(.status)
        eventTime = string(.eventTime)
    }

    /// The envelope these members make, by the rules in `EventEnvelope.checked`.
    func envelope() throws(EventRejection) -> EventEnvelope {
        guard isObject else { throw .notAnObject }
        return try EventEnvelope.checked(eventType: eventType, jobId: jobId, mediaId: mediaId,
                                         videoId: videoId, status: status, eventTime: eventTime)
    }
}
