/// What a reader learns from one ledger line: the fields of every kind it knows, nil where a
/// line does not have them.
public struct LedgerEntry: Sendable, Equatable {
    public var seq: UInt64
    /// Unix milliseconds.
    public var at: Int64
    public var kind: LedgerKind
    public var eventType: String?
    public var jobId: String?
    public var mediaId: String?
    public var status: String?
    public var source: String?
    public var dedupKey: DedupKey?
    /// Events: the seq of the `submitted` line of the job they answer.
    public var submissionSeq: UInt64?
    /// Events: the line recorded first under this event's dedup key, when this one's body
    /// differs from it (`duplicate_of`); such a line changes no job's state.
    public var duplicateOf: UInt64?
    /// Events: `body_differs`, true exactly on lines with ``duplicateOf``.
    public var bodyDiffers = false
    /// Submissions: the AI type (`type`).
    public var aiType: String?
    public var outcome: SubmissionRecord.Outcome?
    public var requestId: String?
    public var chain: String?
    public var attempt: Int?
    public var resubmitOf: String?
    /// Submissions: the seq of the `sending` line this result settles.
    public var intentSeq: UInt64?
    public var error: SubmissionRecord.Failure?
    /// Handler outcomes (`handled`, `dead`) and `replay` lines: the handler, the event's seq, the result of a run,
    /// its duration, the runs of a dead event, and why it failed.
    public var handler: String?
    public var eventSeq: UInt64?
    public var result: HandledRecord.Result?
    public var durationMs: Int64?
    public var attempts: Int?
    public var reason: String?

    public init(
        seq: UInt64, at: Int64, kind: LedgerKind, eventType: String? = nil, jobId: String? = nil,
        mediaId: String? = nil, status: String? = nil, source: String? = nil, dedupKey: DedupKey? = nil
    ) {
        self.seq = seq
        self.at = at
        self.kind = kind
        self.eventType = eventType
        self.jobId = jobId
        self.mediaId = mediaId
        self.status = status
        self.source = source
        self.dedupKey = dedupKey
    }
}

extension LedgerEntry {
    /// The entry of a record as the writer writes it: what ``LedgerLine/decode(_:)`` will read back.
    public init(seq: UInt64, at: Int64, record: LedgerRecord, submissionSeq: UInt64? = nil) {
        switch record {
        case .event(let event):
            self.init(
                seq: seq, at: at, kind: .event, eventType: event.envelope.eventType, jobId: event.envelope.jobId,
                mediaId: event.envelope.mediaId, status: event.envelope.status, source: event.source,
                dedupKey: event.dedupKey)
            self.submissionSeq = submissionSeq
            duplicateOf = event.duplicateOf
            bodyDiffers = event.duplicateOf != nil
        case .submitted(let submission):
            self.init(seq: seq, at: at, kind: .submitted, jobId: submission.jobId, mediaId: submission.mediaId)
            aiType = submission.aiType
            outcome = submission.outcome
            requestId = submission.requestId
            chain = submission.chain
            attempt = submission.attempt
            resubmitOf = submission.resubmitOf
            intentSeq = submission.intentSeq
            error = submission.error
        case .handled(let handled):
            self.init(seq: seq, at: at, kind: .handled)
            handler = handled.handler
            eventSeq = handled.eventSeq
            attempt = handled.attempt
            result = handled.result
            durationMs = handled.durationMs
            reason = handled.reason
        case .dead(let dead):
            self.init(seq: seq, at: at, kind: .dead)
            handler = dead.handler
            eventSeq = dead.eventSeq
            attempts = dead.attempts
            reason = dead.reason
        case .replay(let replay):
            self.init(seq: seq, at: at, kind: .replay, jobId: replay.jobId)
            handler = replay.handler
            eventSeq = replay.eventSeq
        case .givenUp(let givenUp):
            self.init(seq: seq, at: at, kind: .givenUp, jobId: givenUp.jobId, mediaId: givenUp.mediaId)
            handler = givenUp.handler
            eventSeq = givenUp.eventSeq
            aiType = givenUp.aiType
            chain = givenUp.chain
            attempts = givenUp.attempts
        }
    }
}
