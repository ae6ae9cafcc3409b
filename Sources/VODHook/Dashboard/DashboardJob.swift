public import VODHookCore

/// One job's page and `/api/jobs/{id}/history`: what `vodhook job` shows (its chain, every line,
/// each handler's outcome under its event), with each event's result decoded.
public struct DashboardJob: Sendable, Encodable {
    public struct Member: Sendable, Encodable {
        public var jobId: String
        public var type: String?
        public var mediaId: String?
        public var state: String
        public var attempt: Int
        public var unsolicited: Bool
        /// Events that repeated a recorded one with another body: one of them is not VOD's.
        public var differingBodies: Int
        /// Its page (not in the JSON).
        public var link: String

        private enum CodingKeys: String, CodingKey {
            case jobId, type, mediaId, state, attempt, unsolicited, differingBodies
        }
    }

    public struct Handler: Sendable, Encodable {
        public var handler: String
        /// ok, failed, dead or replayed.
        public var state: String
        public var runs: Int
        /// `vodhook job`'s line for it.
        public var summary: String
    }

    public struct Line: Sendable, Encodable {
        public var seq: UInt64
        /// UTC RFC 3339.
        public var at: String
        /// submitted, event or given_up.
        public var kind: String
        public var jobId: String?
        public var eventType: String?
        public var status: String?
        /// callback or poll.
        public var source: String?
        /// The submission an event answers; absent when uncorrelated.
        public var answersSeq: UInt64?
        /// What a `submitted` line says: accepted, refused, unknown, sending.
        public var outcome: String?
        public var requestId: String?
        public var error: String?
        /// A repeat of line `bodyDiffersFrom` with another body.
        public var bodyDiffersFrom: UInt64?
        public var result: EventResultView?
        public var handlers: [Handler]
    }

    /// The chain's first JobId (the job's own when it was never submitted again).
    public var chain: String
    /// The state of the chain's last job.
    public var state: String
    public var jobs: [Member]
    public var lines: [Line]

    /// Nil when the ledger does not know the job.
    public init?(_ history: JobHistory) {
        guard !history.lines.isEmpty else { return nil }
        let book = history.book
        chain = history.chain
        jobs = history.jobs.compactMap { id in
            book.row(jobId: id).map { row in
                Member(
                    jobId: id, type: row.aiType, mediaId: row.mediaId, state: row.state.rawValue, attempt: row.attempt ?? 1,
                    unsolicited: row.isUnsolicited, differingBodies: row.differingBodies, link: DashboardLink.job(id))
            }
        }
        state = jobs.last?.state ?? "unknown"
        var outcomes = HandlerOutcomes()
        for line in history.lines where line.entry.kind.isHandlerLine { outcomes.absorb(line.entry) }
        lines = history.lines.filter { !$0.entry.kind.isHandlerLine }.map { line in
            Self.line(line, handlers: outcomes.outcomes(eventSeq: line.entry.seq))
        }
    }

    private static func line(_ line: JobHistory.Line, handlers: [HandlerOutcomes.Outcome]) -> Line {
        let entry = line.entry
        var result: EventResultView?
        if entry.kind == .event, let body = LedgerLine.eventBody(Array(line.text.utf8)[...]),
            let event = try? EventParser.parse(Array(body))
        {
            result = EventResultView(event.data)
        }
        return Line(
            seq: entry.seq, at: EventTime.rfc3339(milliseconds: entry.at), kind: entry.kind.description, jobId: entry.jobId,
            eventType: entry.eventType, status: entry.status, source: entry.source, answersSeq: entry.submissionSeq,
            outcome: entry.outcome?.rawValue, requestId: entry.requestId, error: entry.error?.description,
            bodyDiffersFrom: entry.duplicateOf, result: result,
            handlers: handlers.map {
                Handler(handler: $0.handler, state: $0.state.rawValue, runs: $0.runs, summary: $0.summary)
            })
    }
}
