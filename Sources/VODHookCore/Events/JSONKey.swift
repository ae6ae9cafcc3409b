/// A coding key for any object member name, so objects can be walked key by key.
struct JSONKey: CodingKey {
    static let eventType = JSONKey("EventType")
    static let jobId = JSONKey("JobId")
    static let mediaId = JSONKey("MediaId")
    static let videoId = JSONKey("VideoId")
    static let status = JSONKey("Status")
    static let eventTime = JSONKey("EventTime")
    static let data = JSONKey("Data")

    let stringValue: String
    var intValue: Int? { nil }

    init(_ name: String) { stringValue = name }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
