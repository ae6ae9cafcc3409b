public import VODHookCore

/// The overview: `/api/overview` encodes it, `/` renders it.
public struct DashboardOverview: Sendable, Encodable {
    /// The chart's span: three hours of minutes.
    public static let chartMinutes = 180

    public struct Minute: Sendable, Encodable {
        /// The minute's start, UTC RFC 3339.
        public var minute: String
        public var accepted: Int
        public var refused: Int
    }

    public var ready: Bool
    /// Absent while the ledger is empty.
    public var lastSeq: UInt64?
    /// Event lines the ledger recorded (callbacks and reconcile's polls).
    public var eventsLastHour: Int
    public var eventsLastDay: Int
    /// Callbacks answered 200 (a duplicate too); before the server started, the ledger's events.
    public var acceptedLastHour: Int
    public var acceptedLastDay: Int
    /// Callbacks refused (401, 403, 400, 408, 413, 503): counted in memory since `refusedSince`.
    public var refusedLastHour: Int
    public var refusedLastDay: Int
    public var refusedSince: String
    /// Jobs per state, every state named: `pending` and `unknown` of all time (the server keeps
    /// them), the others among the jobs with lines in the last day.
    public var jobs: [String: Int]
    public var ledgerFiles: Int
    public var ledgerBytes: Int64
    public var unreadableLines: Int
    /// The last ``chartMinutes`` minutes, oldest first.
    public var perMinute: [Minute]

    /// `now`: Unix ms. `files` and `bytes`: the ledger files as listed now.
    /// `open`: the server's counts of pending and unknown jobs (``LedgerTelemetry``, as `/metrics`
    /// and `/status` show them); nil while its ledger opens, when the book's count is shown instead.
    public init(
        snapshot: FollowedJobBook.Snapshot, tally: MinuteTally, open: (pending: Int, unknown: Int)? = nil, ready: Bool,
        files: Int,
        bytes: Int64, now: Int64
    ) {
        let series = CallbackSeries(
            minutes: MinuteTally.capacity, now: now / 60_000, tally: tally, ledgerEvents: snapshot.eventsPerMinute)
        self.init(snapshot: snapshot, series: series, open: open, ready: ready, files: files, bytes: bytes, now: now)
    }

    init(
        snapshot: FollowedJobBook.Snapshot, series: CallbackSeries, open: (pending: Int, unknown: Int)? = nil, ready: Bool,
        files: Int,
        bytes: Int64, now: Int64
    ) {
        self.ready = ready
        lastSeq = snapshot.lastSeq
        eventsLastHour = snapshot.events(since: now, span: 3_600_000)
        eventsLastDay = snapshot.events(since: now, span: 86_400_000)
        let hour = series.totals(lastMinutes: 60)
        let day = series.totals(lastMinutes: MinuteTally.capacity)
        (acceptedLastHour, refusedLastHour) = hour
        (acceptedLastDay, refusedLastDay) = day
        refusedSince = EventTime.rfc3339(milliseconds: series.refusalsSince * 60_000)
        var states = Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0.rawValue, 0) })
        for row in snapshot.book.rows { states[row.state.rawValue, default: 0] += 1 }
        if let open {
            states[JobState.pending.rawValue] = open.pending
            states[JobState.unknown.rawValue] = open.unknown
        }
        jobs = states
        ledgerFiles = files
        ledgerBytes = bytes
        unreadableLines = snapshot.unreadable
        perMinute = series.points.suffix(Self.chartMinutes).map {
            Minute(minute: EventTime.rfc3339(milliseconds: $0.minute * 60_000), accepted: $0.accepted, refused: $0.refused)
        }
        chartSeries = CallbackSeries(points: Array(series.points.suffix(Self.chartMinutes)), refusalsSince: series.refusalsSince)
    }

    /// The chart's minutes, for ``CallbackChart``.
    public let chartSeries: CallbackSeries

    private enum CodingKeys: String, CodingKey {
        case ready, lastSeq, eventsLastHour, eventsLastDay, acceptedLastHour, acceptedLastDay, refusedLastHour, refusedLastDay
        case refusedSince, jobs, ledgerFiles, ledgerBytes, unreadableLines, perMinute
    }
}
