public import VODHookCore

/// Finds what became of pending jobs whose callback never came (VOD gives up after three
/// attempts) by asking ListAIJob, and records each finished one as an `event` line with
/// `source: "poll"`. Used by `vodhook reconcile` and by `serve --reconcile-every`.
public struct Reconciler: Sendable {
    public let client: VODClient
    public let sink: any LedgerSink

    public init(client: VODClient, sink: any LedgerSink) {
        self.client = client
        self.sink = sink
    }

    /// What a round learnt.
    public struct Report: Sendable, Equatable {
        /// Pending jobs asked about.
        public var asked = 0
        /// Finished jobs recorded now, by JobId.
        public var recorded: [String] = []
        /// Finished jobs whose event was already in the ledger (a callback came meanwhile).
        public var alreadyKnown = 0
        /// Jobs VOD still runs.
        public var stillRunning = 0
        /// Jobs VOD does not know.
        public var unknownToVOD: [String] = []
    }

    /// One round over the open jobs the writer holds (``LedgerWriter/openJobs``): no ledger file is read.
    public func run(open: [JobBook.Row], olderThan: Int64, now: Int64) async throws -> Report {
        try await run(jobIds: PollEvent.candidates(in: open, olderThan: olderThan, now: now), now: now)
    }

    /// One round over the given pending jobs.
    public func run(jobIds: [String], now: Int64) async throws -> Report {
        var report = Report(asked: jobIds.count)
        guard !jobIds.isEmpty else { return report }
        let answer = try await client.listAIJobs(jobIds: jobIds)
        report.unknownToVOD = answer.nonExistentJobIds
        let (records, ids) = Self.pollRecords(answer.jobs, now: now)
        report.stillRunning = answer.jobs.count - records.count
        let outcomes = try await sink.append(records)
        for (id, outcome) in zip(ids, outcomes) {
            if case .duplicate = outcome { report.alreadyKnown += 1 } else { report.recorded.append(id) }
        }
        return report
    }

    /// The `event` lines (`source: "poll"`) for the finished jobs of a ListAIJob answer, with
    /// their JobIds; jobs still running give none. What a `resubmit` handler records too when
    /// VOD does not confirm a failure.
    public static func pollRecords(_ jobs: [ListAIJobResponse.Job], now: Int64) -> (records: [LedgerRecord], jobIds: [String]) {
        var records: [LedgerRecord] = []
        var ids: [String] = []
        for job in jobs {
            // Built by vodhook, so it parses; a failure here would be a bug, counted as running.
            guard let body = PollEvent.body(for: job, now: now), let envelope = try? EventParser.envelope(of: body) else {
                continue
            }
            records.append(.event(EventRecord(envelope: envelope, body: body, source: EventRecord.pollSource)))
            ids.append(job.jobId)
        }
        return (records, ids)
    }
}
