public import VODHookCore

/// A row of the jobs page, as `vodhook jobs` prints it (its JSON is ``JobBook/Row/jsonLine()``).
public struct DashboardJobRow: Sendable {
    public var jobId: String
    public var type: String
    public var mediaId: String
    public var submittedAt: String
    public var state: String
    public var age: String
    public var lastStatus: String
    /// Its page.
    public var link: String

    /// `now`: Unix ms.
    public init(_ row: JobBook.Row, now: Int64) {
        jobId = row.jobId ?? "-"
        type = row.aiType ?? "-"
        mediaId = row.mediaId ?? "-"
        submittedAt = row.submittedAt.map { String(EventTime.rfc3339(milliseconds: $0).prefix(19)) + "Z" } ?? "-"
        state = row.state.rawValue
        age = TimeSpec.age(milliseconds: now - row.since)
        lastStatus = row.lastStatus ?? "-"
        link = row.jobId.map(DashboardLink.job) ?? "/jobs"
    }
}
