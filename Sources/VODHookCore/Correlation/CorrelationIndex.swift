/// JobId → what vodhook knows of that job: the server's memory of the ledger, rebuilt from every
/// ledger file at start and kept current on each append, so an event line can say at once
/// whether it answers a job vodhook submitted.
///
/// It keeps the jobs that can still be answered: pending ones always; a final one (its event
/// said success or fail) for ``DedupWindow`` after its last line, then it leaves memory (its
/// lines stay in the ledger, found on disk by `vodhook job`). Like ``RecordedEvents``, a job
/// past ``horizon`` is gone for every lookup at once and swept from memory a few shards at a time.
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
        /// The `at` of its latest line, in Unix seconds rounded up (it fits in the padding).
        private var lastAt: UInt32

        public init(
            submissionSeq: UInt64?, media: CompactID, chainSeq: UInt64?, lastEventSeq: UInt64?, state: JobState,
            at: Int64 = 0
        ) {
            submission = submissionSeq ?? 0
            chainStart = chainSeq ?? 0
            lastEvent = lastEventSeq ?? 0
            self.media = media
            self.state = state
            lastAt = 0
            self.at = at
        }

        /// When its latest line was written (Unix ms, to the second above).
        public var at: Int64 {
            get { Int64(lastAt) * 1000 }
            set { lastAt = UInt32(clamping: newValue <= 0 ? 0 : (newValue + 999) / 1000) }
        }

        /// Final, and its last line older than `horizon`: nothing more to answer for it here.
        func isForgotten(before horizon: Int64) -> Bool { state != .pending && at < horizon }

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

    /// Sharded: it grows with every job on the writer's thread, before the batch is answered.
    var jobs = ShardedDictionary<CompactID, Job>()
    /// Final jobs whose last line is older than this (Unix ms) are forgotten. Only moves forward.
    public private(set) var horizon = Int64.min
    /// The next shard ``forget(before:shards:)`` sweeps.
    private var cursor = 0
    /// Submissions whose answer never came (`unknown`, or a `sending` line not settled), by media
    /// and type: a JobId may exist that only its
    /// callback will tell (docs/vod.md §3.4). Few, and consumed by their first matching event.
    var unanswered: [MediaType: UInt64] = [:]

    struct MediaType: Hashable, Sendable {
        let media: CompactID
        let type: String
    }

    public init() {}

    /// Jobs held (submitted, or seen in events; some may be past the horizon, not yet swept).
    public var count: Int { jobs.count }

    /// Jobs with no final event yet: kept as lines are absorbed, so a scrape of `/metrics` or
    /// `vodhook status` need not walk millions of jobs.
    public internal(set) var pendingCount = 0

    /// Submissions whose answer never came (`unknown`, or a `sending` line not settled) and that
    /// no event has yet tied to a job.
    public var unansweredCount: Int { unanswered.count }

    /// The most jobs one insert can have to rehash (see ``ShardedDictionary/largestRehash``).
    public var largestRehash: Int { jobs.largestRehash }

    /// What is known of one job.
    public subscript(jobId: String) -> Job? { job(CompactID(jobId)) }

    private func job(_ id: CompactID) -> Job? {
        guard let job = jobs[id], !job.isForgotten(before: horizon) else { return nil }
        return job
    }

    /// The job an event tells of, for dedup to pin its key while the job is pending.
    public func link(jobId: String?) -> RecordedEvents.JobLink? {
        guard let jobId else { return nil }
        let id = CompactID(jobId)
        return job(id).map { RecordedEvents.JobLink(job: id, pending: $0.state == .pending) }
    }

    /// Moves the horizon to `horizon` (at once, for every lookup) and drops forgotten jobs from
    /// `shards` shards (all with nil): the writer sweeps a few per batch, start-up all of them.
    public mutating func forget(before horizon: Int64, shards: Int?) {
        self.horizon = max(self.horizon, horizon)
        let cutoff = self.horizon
        for _ in 0..<min(shards ?? jobs.shardCount, jobs.shardCount) {
            jobs.removeAll(inShard: cursor) { _, job in job.isForgotten(before: cutoff) }
            cursor = (cursor + 1) % jobs.shardCount
        }
    }

    /// The `submitted` line an event answers: by its JobId, else (for a submission whose answer
    /// never came) by its MediaId and AI type. Nil for events of jobs vodhook did not submit and
    /// for events that are not about a job.
    public func submission(forEventType eventType: String, jobId: String?, mediaId: String?) -> UInt64? {
        guard let jobId else { return nil }
        if let seq = job(CompactID(jobId))?.submissionSeq { return seq }
        guard !unanswered.isEmpty, let mediaId, let type = SubmissionRecord.aiType(ofEventType: eventType) else { return nil }
        return unanswered[MediaType(media: CompactID(mediaId), type: type)]
    }

    /// Folds in one line, in ledger order: at start-up for every line read, then for each line written.
    public mutating func absorb(_ entry: LedgerEntry) {
        switch entry.kind {
        case .submitted:
            absorbSubmission(
                seq: entry.seq, at: entry.at, jobId: entry.jobId, mediaId: entry.mediaId, aiType: entry.aiType,
                outcome: entry.outcome, chain: entry.chain, intentSeq: entry.intentSeq)
        case .event:
            // Another body under a recorded key changes nothing: the key's first line has spoken.
            guard entry.duplicateOf == nil else { return }
            absorbEvent(
                seq: entry.seq, at: entry.at, eventType: entry.eventType, jobId: entry.jobId, mediaId: entry.mediaId,
                status: entry.status, submissionSeq: entry.submissionSeq)
        case .handled, .dead, .replay, .givenUp, .other:
            break
        }
    }

    /// Folds in a record just written as line `seq` at `at`: the same as absorbing the line read
    /// back, without building it (the writer calls this for every line).
    public mutating func absorb(_ record: LedgerRecord, seq: UInt64, at: Int64, submissionSeq: UInt64?) {
        switch record {
        case .submitted(let submission):
            absorbSubmission(
                seq: seq, at: at, jobId: submission.jobId, mediaId: submission.mediaId, aiType: submission.aiType,
                outcome: submission.outcome, chain: submission.chain, intentSeq: submission.intentSeq)
        case .event(let event):
            guard event.duplicateOf == nil else { return }
            let envelope = event.envelope
            absorbEvent(
                seq: seq, at: at, eventType: envelope.eventType, jobId: envelope.jobId, mediaId: envelope.mediaId,
                status: envelope.status, submissionSeq: submissionSeq)
        case .handled, .dead, .replay, .givenUp:
            break
        }
    }

    private mutating func absorbSubmission(
        seq: UInt64, at: Int64, jobId: String?, mediaId: String?, aiType: String?, outcome: SubmissionRecord.Outcome?,
        chain: String?, intentSeq: UInt64?
    ) {
        guard let mediaId else { return }
        let media = CompactID(mediaId)
        // A result settles its `sending` line: that call is no longer unanswered (unless still unknown, below).
        if let intentSeq, let aiType, unanswered[MediaType(media: media, type: aiType)] == intentSeq {
            unanswered[MediaType(media: media, type: aiType)] = nil
        }
        switch outcome {
        case .accepted?:
            guard let jobId else { return }
            let key = CompactID(jobId)
            let previous = self.job(key)
            var job = previous ?? Job(submissionSeq: nil, media: media, chainSeq: nil, lastEventSeq: nil, state: .pending)
            job.submissionSeq = seq
            job.media = media
            job.at = at
            // A re-submission joins its chain's first job (while it is kept); a first submission starts its own.
            let chainStart = chain.flatMap { $0 == jobId ? nil : self.job(CompactID($0))?.chainSeq }
            job.chainSeq = chainStart ?? seq
            store(job, at: key, replacing: previous)
        case .unknown?, .sending?:
            if let aiType { unanswered[MediaType(media: media, type: aiType)] = seq }
        case .refused?, nil:
            break
        }
    }

    private mutating func absorbEvent(
        seq: UInt64, at: Int64, eventType: String?, jobId: String?, mediaId: String?, status: String?,
        submissionSeq: UInt64?
    ) {
        guard let jobId, let eventType, SubmissionRecord.isAICompletion(eventType) else { return }
        let key = CompactID(jobId)
        let previous = self.job(key)
        var job =
            previous
            ?? Job(
                submissionSeq: nil, media: CompactID(mediaId ?? ""), chainSeq: nil, lastEventSeq: nil, state: .pending)
        if job.submissionSeq == nil, let submissionSeq {
            // Linked when it was written (by media, to a submission whose answer never came).
            job.submissionSeq = submissionSeq
            job.chainSeq = submissionSeq
            if !unanswered.isEmpty, let mediaId, let type = SubmissionRecord.aiType(ofEventType: eventType) {
                unanswered[MediaType(media: CompactID(mediaId), type: type)] = nil
            }
        }
        job.lastEventSeq = seq
        job.at = at
        job.state = JobState(eventStatus: status)
        store(job, at: key, replacing: previous)
    }

    private mutating func store(_ job: Job, at key: CompactID, replacing previous: Job?) {
        if previous?.state == .pending { pendingCount -= 1 }
        if job.state == .pending { pendingCount += 1 }
        jobs[key] = job
    }
}

extension CorrelationIndex: Equatable {
    /// The same jobs and unanswered submissions, wherever the sweep stands.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.jobs == rhs.jobs && lhs.unanswered == rhs.unanswered && lhs.pendingCount == rhs.pendingCount
    }
}
