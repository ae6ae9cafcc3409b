/// How one ledger line changes a ``JobBook/Row``: shared by ``JobBook`` (every row) and
/// ``OpenJobs`` (the rows still open), so both tell a job's state the same way.
extension JobBook.Row {
    /// The state a submission's outcome puts its row in.
    static func state(of outcome: SubmissionRecord.Outcome?) -> JobState {
        switch outcome {
        case .accepted?: .pending
        case .refused?: .refused
        case .unknown?, .sending?, nil: .unknown
        }
    }

    /// The row a `submitted` line starts.
    init(submission entry: LedgerEntry) {
        self.init(
            jobId: entry.jobId, mediaId: entry.mediaId, aiType: entry.aiType, submissionSeq: entry.seq,
            submittedAt: entry.at, state: Self.state(of: entry.outcome), outcome: entry.outcome, requestId: entry.requestId,
            otherChain: entry.chain == entry.jobId ? nil : entry.chain, attempt: entry.attempt,
            failure: entry.error.map(FailureBox.init), firstSeq: entry.seq)
    }

    /// The row of a job first heard of in an event (its `submitted` line, if any, comes later).
    init(unsolicited entry: LedgerEntry, jobId: String, eventType: String) {
        self.init(
            jobId: jobId, mediaId: entry.mediaId, aiType: SubmissionRecord.aiType(ofEventType: eventType), state: .pending,
            firstSeq: entry.seq)
    }

    /// A submission row for a job whose events came first (an event can overtake its
    /// `submitted` line): the submission's facts with the events kept.
    func merged(into existing: Self) -> Self {
        var merged = self
        merged.eventCount = existing.eventCount
        merged.lastEventSeq = existing.lastEventSeq
        merged.lastEventAt = existing.lastEventAt
        merged.lastStatus = existing.lastStatus
        merged.lastSource = existing.lastSource
        merged.firstSeq = existing.firstSeq
        if let status = merged.lastStatus { merged.state = JobState(eventStatus: status) }
        return merged
    }

    /// A result line settles the row its `sending` line made: the same row, now with what VOD said
    /// (events already linked to it, by media, keep their state).
    mutating func settle(with entry: LedgerEntry) {
        jobId = entry.jobId ?? jobId
        submissionSeq = entry.seq
        outcome = entry.outcome
        requestId = entry.requestId
        otherChain = entry.chain == jobId ? nil : entry.chain
        attempt = entry.attempt
        error = entry.error
        if eventCount == 0 { state = Self.state(of: entry.outcome) }
    }

    /// An event line (not a differing body) about this job.
    mutating func record(event entry: LedgerEntry) {
        eventCount += 1
        lastEventSeq = entry.seq
        lastEventAt = entry.at
        lastStatus = entry.status
        lastSource = entry.source
        state = JobState(eventStatus: entry.status)
    }
}
