/// JobId → what vodhook knows of that job: the server's memory of the ledger, rebuilt from every
/// ledger file at start and kept current on each append, so an event line can say at once
/// whether it answers a job vodhook submitted.
///
/// Compact on purpose (IDs as ``CompactID``, positions as seqs, no strings): it must hold the
/// jobs of millions of lines. The details (config, user data, the event bodies) stay in the
/// ledger, found by these seqs.
public struct CorrelationIndex: Sendable {
    /// One job.
    public struct Job: Sendable, Equatable {
        /// The seq of its `submitted` line; nil for a job vodhook did not submit (unsolicited).
        public var submissionSeq: UInt64?
        public var media: CompactID?
        /// The chain's first JobId.
        public var chain: CompactID?
        /// The seq of its latest event line, if any.
        public var lastEventSeq: UInt64?
        public var state: JobState

        public init(submissionSeq: UInt64?, media: CompactID?, chain: CompactID?, lastEventSeq: UInt64?, state: JobState) {
            self.submissionSeq = submissionSeq
            self.media = media
            self.chain = chain
            self.lastEventSeq = lastEventSeq
            self.state = state
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
            var job = jobs[key] ?? Job(submissionSeq: nil, media: media, chain: nil, lastEventSeq: nil, state: .pending)
            job.submissionSeq = entry.seq
            job.media = media
            job.chain = CompactID(entry.chain ?? jobId)
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
            submissionSeq: nil, media: entry.mediaId.map(CompactID.init), chain: nil, lastEventSeq: nil, state: .pending)
        if job.submissionSeq == nil, let seq = entry.submissionSeq {
            // Linked when it was written (by media, to a submission whose answer never came).
            job.submissionSeq = seq
            job.chain = key
            if let mediaId = entry.mediaId, let type = SubmissionRecord.aiType(ofEventType: eventType) {
                unanswered[MediaType(media: CompactID(mediaId), type: type)] = nil
            }
        }
        job.lastEventSeq = entry.seq
        job.state = JobState(eventStatus: entry.status)
        jobs[key] = job
    }
}
