/// `GET /v1/jobs/open` on a running server's control socket: the jobs still `pending` or
/// `unknown`, from the writer's memory (``OpenJobs``), so `vodhook jobs --status pending|unknown`
/// and `vodhook reconcile` read no ledger file while serve runs.
public struct ControlOpenJobsResponse: Sendable, Codable, Equatable {
    /// The URI path of the route.
    public static let path = "/v1/jobs/open"

    /// In ledger order, as ``JobBook/rows(state:mediaId:since:)`` lists them.
    public var rows: [JobBook.Row]
    /// The last seq the rows account for.
    public var lastSeq: UInt64

    public init(rows: [JobBook.Row], lastSeq: UInt64) {
        self.rows = rows
        self.lastSeq = lastSeq
    }

    /// The rows in `state` (`pending` or `unknown`) matching the other filters, as the scan's
    /// ``JobBook/rows(state:mediaId:since:)`` would list them.
    public func rows(state: JobState, mediaId: String? = nil, since: Int64? = nil) -> [JobBook.Row] {
        rows.filter { $0.matches(state: state, mediaId: mediaId, since: since) }
    }
}
