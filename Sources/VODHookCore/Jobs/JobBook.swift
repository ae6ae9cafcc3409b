/// Every job the ledger tells of, built by reading its lines in order: what `vodhook jobs`,
/// `vodhook job` and `vodhook reconcile` work from.
///
/// A row per submission (accepted, refused or unanswered) and one per job seen only in events
/// (submitted by other tools: `unsolicited`). A call's `sending` line makes the row and its
/// result line (naming it by `intent_seq`) settles that row; a `sending` line never settled
/// stays `unknown`. Events find their row by JobId, or by the `submission_seq` the server wrote
/// on them (an unanswered submission learns its JobId so).
public struct JobBook: Sendable {
    /// One job.
    public struct Row: Sendable, Equatable {
        public var jobId: String?
        public var mediaId: String?
        public var aiType: String?
        /// The `submitted` line; nil for an unsolicited job.
        public var submissionSeq: UInt64?
        /// When vodhook recorded the submission (Unix ms); nil for an unsolicited job.
        public var submittedAt: Int64?
        public var state: JobState
        public var outcome: SubmissionRecord.Outcome?
        public var requestId: String?
        /// The chain's first JobId when it is not this job's own (kept apart: one string less a row).
        var otherChain: String?
        public var attempt: Int?
        /// Boxed: rare (refused and unknown submissions), and 72 bytes inline in every row otherwise.
        var failure: FailureBox?
        /// Why VOD refused, or what went wrong.
        public var error: SubmissionRecord.Failure? {
            get { failure?.value }
            set { failure = newValue.map(FailureBox.init) }
        }
        /// How many event lines it has, and the seq of the latest (`vodhook job` lists them all).
        public var eventCount = 0
        public var lastEventSeq: UInt64?
        /// When its latest event was recorded (Unix ms), its `Status` and `source`.
        public var lastEventAt: Int64?
        public var lastStatus: String?
        public var lastSource: String?
        /// The seq of the first line about it (its submission, or its first event).
        public var firstSeq: UInt64
        /// Event lines that repeated a recorded key with another body (`body_differs`): they
        /// change nothing here, but one of the bodies is not VOD's.
        public var differingBodies = 0

        /// The JobId of its re-submission chain's first job (its own for a first submission).
        public var chain: String? { otherChain ?? (outcome == .accepted ? jobId : nil) }

        /// A job vodhook did not submit.
        public var isUnsolicited: Bool { submissionSeq == nil }

        /// When it was first recorded: submitted, or first heard of.
        public var since: Int64 { submittedAt ?? lastEventAt ?? 0 }

        /// Whether it passes every given filter (`vodhook jobs --status --media-id --since`).
        public func matches(state: JobState?, mediaId: String?, since: Int64?) -> Bool {
            (state == nil || self.state == state) && (mediaId == nil || self.mediaId == mediaId)
                && (since == nil || self.since >= since ?? 0)
        }
    }

    public private(set) var rows: [Row] = []
    private var byJob: [String: Int] = [:]
    private var bySubmission: [UInt64: Int] = [:]

    public init() {}

    /// Folds in one line, in ledger order.
    public mutating func absorb(_ entry: LedgerEntry) {
        switch entry.kind {
        case .submitted: absorbSubmission(entry)
        case .event: absorbEvent(entry)
        case .givenUp:
            // The fail stands; what changes is that nothing will follow it.
            if let jobId = entry.jobId, let index = byJob[jobId] { rows[index].state = .givenUp }
        case .handled, .dead, .replay, .other: break
        }
    }

    /// The row of a JobId.
    public func row(jobId: String) -> Row? { byJob[jobId].map { rows[$0] } }

    /// Rows matching every given filter, in ledger order.
    public func rows(state: JobState? = nil, mediaId: String? = nil, since: Int64? = nil) -> [Row] {
        rows.filter { $0.matches(state: state, mediaId: mediaId, since: since) }
    }

    private mutating func absorbSubmission(_ entry: LedgerEntry) {
        if let intent = entry.intentSeq, let index = bySubmission[intent], rows[index].outcome == .sending,
            entry.jobId.map({ byJob[$0] == nil || byJob[$0] == index }) ?? true
        {
            rows[index].settle(with: entry)
            bySubmission[entry.seq] = index
            if let jobId = rows[index].jobId { byJob[jobId] = index }
            return
        }
        let row = Row(submission: entry)
        if let jobId = entry.jobId, let existing = byJob[jobId] {
            rows[existing] = row.merged(into: rows[existing])
            bySubmission[entry.seq] = existing
            return
        }
        rows.append(row)
        bySubmission[entry.seq] = rows.count - 1
        if let jobId = entry.jobId { byJob[jobId] = rows.count - 1 }
    }

    private mutating func absorbEvent(_ entry: LedgerEntry) {
        guard let jobId = entry.jobId, let eventType = entry.eventType,
            SubmissionRecord.isAICompletion(eventType)
        else { return }
        if entry.duplicateOf != nil {
            // Another body under a recorded key: noted, never a state change (its first line came earlier).
            if let index = byJob[jobId] { rows[index].differingBodies += 1 }
            return
        }
        let index: Int
        if let known = byJob[jobId] {
            index = known
        } else if let seq = entry.submissionSeq, let linked = bySubmission[seq], rows[linked].jobId == nil {
            index = linked
            rows[index].jobId = jobId
            byJob[jobId] = index
        } else {
            rows.append(Row(unsolicited: entry, jobId: jobId, eventType: eventType))
            index = rows.count - 1
            byJob[jobId] = index
        }
        rows[index].record(event: entry)
    }
}

/// An immutable box, so a row carries a pointer instead of the failure itself.
final class FailureBox: Sendable, Equatable {
    let value: SubmissionRecord.Failure

    init(_ value: SubmissionRecord.Failure) { self.value = value }

    static func == (lhs: FailureBox, rhs: FailureBox) -> Bool { lhs.value == rhs.value }
}

extension JobBook.Row {
    /// The row as one JSON object, fields in a fixed order, absent values `null` (`vodhook jobs --json`).
    public func jsonLine() -> String {
        var line = LineBuilder(capacity: 512)
        line.field("job_id", jobId)
        line.field("type", aiType)
        line.field("media_id", mediaId)
        line.field("state", state.rawValue)
        line.field("unsolicited", bool: isUnsolicited)
        line.field("submitted_at", submittedAt.map(EventTime.rfc3339(milliseconds:)))
        line.field("submission_seq", integer: submissionSeq)
        line.field("request_id", requestId)
        line.field("chain", chain)
        line.field("attempt", integer: attempt)
        line.field("last_event_at", lastEventAt.map(EventTime.rfc3339(milliseconds:)))
        line.field("last_status", lastStatus)
        line.field("last_source", lastSource)
        line.field("event_count", integer: eventCount)
        line.field("last_event_seq", integer: lastEventSeq)
        line.field("error", object: error.map(LedgerLine.encode(failure:)))
        line.field("differing_bodies", integer: differingBodies)
        return String(decoding: line.finishObject(), as: UTF8.self)
    }
}
