/// JobId → what vodhook knows of that job: the server's memory of the ledger, rebuilt from every
/// ledger file at start and kept current on each append, so an event line can say at once
/// whether it answers a job vodhook submitted.
///
/// Compact on purpose (IDs as ``CompactID``, positions as seqs, no strings): it must hold the
/// jobs of millions of lines. The details (config, user data, the event bodies) stay in the
/// ledger, found by these seqs.
public struct CorrelationIndex: Sendable {
    /// One job, in 48 bytes: seqs point into the ledger for everything else (0 = none).
    public struct Job: Sendable, Equatable {
        private var submission: UInt64
        private var chainStart: UInt64
        private var lastEvent: UInt64
        /// The media it analyses.
        public var media: CompactID
        public var state: JobState

        public init(submissionSeq: UInt64?, media: CompactID, chainSeq: UInt64?, lastEventSeq: UInt64?, state: JobState) {
            submission = submissionSeq ?? 0
            chainStart = chainSeq ?? 0
            lastEvent = lastEventSeq ?? 0
            self.media = media
            self.state = state
        }

        /// The seq of its `submitted` line; nil for a job vodhook did not submit (unsolicited).
        public var submissionSeq: UInt64? {
            get { submission == 0 ? nil : submission }
            set { submission = newValue ?? 0 }
        }

        /// The seq of the `submitted` line of its chain's first job (its own for a first submission).
        public var chainSeq: UInt64? {
            get { chainStart == 0 ? nil : chainStart }
            set { chainStart = newValue ?? 0 }
        }

        /// The seq of its latest event line, if any.
        public var lastEventSeq: UInt64? {
            get { lastEvent == 0 ? nil : lastEvent }
            set { lastEvent = newValue ?? 0 }
        }
    }

    private var jobs: [CompactID: Job] = [:]
    /// Submissions whose answer never came, by media and type: a JobId may exist that only its
    /// callback will tell (REFERENCE §3.4). Few, and consumed by their first matching event.
    private var unanswered: [MediaType: UInt64] = [:]

    private struct MediaType: Hashable, Sendable {
        let media: CompactID
        let type: String
    }

    public init() {}

    /// Jobs known (submitted, or seen in events).
    public var count: Int { jobs.count }

    /// What is known of one job.
    public subscript(jobId: String) -> Job? { jobs[CompactID(jobId)] }

    /// The `submitted` line an event answers: by its JobId, else (for a submission whose answer
    /// never came) by its MediaId and AI type. Nil for events of jobs vodhook did not submit and
    /// for events that are not about a job.
    public func submission(forEventType eventType: String, jobId: String?, mediaId: String?) -> UInt64? {
        guard let jobId else { return nil }
        if let seq = jobs[CompactID(jobId)]?.submissionSeq { return seq }
        guard let mediaId, let type = SubmissionRecord.aiType(ofEventType: eventType) else { return nil }
        return unanswered[MediaType(media: CompactID(mediaId), type: type)]
    }

    /// Folds in one line, in ledger order: at start-up for every line read, then for each line written.
    public mutating func absorb(_ entry: LedgerEntry) {
        switch entry.kind {
        case .submitted: absorbSubmission(entry)
        case .event: absorbEvent(entry)
        case .other: break
        }
    }

    private mutating func absorbSubmission(_ entry: LedgerEntry) {
        guard let mediaId = entry.mediaId else { return }
        let media = CompactID(mediaId)
        switch entry.outcome {
        case .accepted?:
            guard let jobId = entry.jobId else { return }
            let key = CompactID(jobId)
            var job = jobs[key] ?? Job(submissionSeq: nil, media: media, chainSeq: nil, lastEventSeq: nil, state: .pending)
            job.submissionSeq = entry.seq
            job.media = media
            // A re-submission joins its chain's first job; a first submission starts its own.
            let chainStart = entry.chain.flatMap { $0 == jobId ? nil : jobs[CompactID($0)]?.chainSeq }
            job.chainSeq = chainStart ?? entry.seq
            jobs[key] = job
        case .unknown?:
            if let type = entry.aiType { unanswered[MediaType(media: media, type: type)] = entry.seq }
        case .refused?, nil:
            break
        }
    }

    private mutating func absorbEvent(_ entry: LedgerEntry) {
        guard let jobId = entry.jobId, let eventType = entry.eventType,
              SubmissionRecord.aiType(ofEventType: eventType) != nil else { return }
        let key = CompactID(jobId)
        var job = jobs[key] ?? Job(
            submissionSeq: nil, media: CompactID(entry.mediaId ?? ""), chainSeq: nil, lastEventSeq: nil, state: .pending)
        if job.submissionSeq == nil, let seq = entry.submissionSeq {
            // Linked when it was written (by media, to a submission whose answer never came).
            job.submissionSeq = seq
            job.chainSeq = seq
            if let mediaId = entry.mediaId, let type = SubmissionRecord.aiType(ofEventType: eventType) {
                unanswered[MediaType(media: CompactID(mediaId), type: type)] = nil
            }
        }
        job.lastEventSeq = entry.seq
        job.state = JobState(eventStatus: entry.status)
        jobs[key] = job
    }
}
