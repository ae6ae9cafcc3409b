/// The rows of ``JobBook`` that are still open (`pending` or `unknown`), kept current line by
/// line by whoever reads or writes the ledger, so `vodhook jobs --status pending|unknown` and a
/// reconcile round get them without reading the ledger's history again.
///
/// It holds only open rows: a row leaves once its job is final. What a dropped row would still
/// have decided, the caller's ``CorrelationIndex`` answers (it knows every job, and absorbs the
/// line after this): a `submitted` line that comes after its job's final event (an event can
/// overtake it) opens nothing, and a late event of a final job links to no other submission.
/// One case differs from ``JobBook``: an event with a status that is neither `success` nor
/// `fail` for a job already final reopens it there with its submission's facts, and here as a
/// job heard of only in events.
public struct OpenJobs: Sendable, Equatable {
    /// Rows by the seq of their first line, in ledger order (``OpenRows``).
    var rows = OpenRows()
    /// JobId → the row's first seq.
    var byJob: [PackedText: UInt64] = [:]
    /// Submission seqs (a `sending` line's and its result's) → the row's first seq.
    var bySubmission: [UInt64: UInt64] = [:]
    /// `sending` lines whose row an event closed before the call's result line came (the JobId
    /// the event gave it): that line settles the closed row, it opens none. Few, and each leaves
    /// when its result line comes.
    var closedSending: [UInt64: String] = [:]

    public init() {}

    /// Open rows held.
    public var count: Int { rows.count }

    /// The open rows, in ledger order.
    public var all: [JobBook.Row] { rows.listed() }

    /// The open rows in `state` matching the other filters, in ledger order: only those are copied out.
    public func rows(state: JobState, mediaId: String? = nil, since: Int64? = nil) -> [JobBook.Row] {
        rows.listed { $0.matches(state: state, mediaId: mediaId, since: since) }
    }

    /// Whether the row storage is held by this value alone: a read that handed a share of it out
    /// would make the writer's next change copy every row (tests check that reads do not).
    public mutating func storageIsUnshared() -> Bool { rows.isUnshared() }

    /// Whether a line of this record can change an open row (the writer builds entries only for those).
    public static func concerns(_ record: LedgerRecord) -> Bool {
        switch record {
        case .submitted, .event, .givenUp: true
        case .handled, .dead, .replay: false
        }
    }

    /// Folds in one line, in ledger order, before `index` absorbs it.
    public mutating func absorb(_ entry: LedgerEntry, index: CorrelationIndex) {
        switch entry.kind {
        case .submitted: absorbSubmission(entry, index: index)
        case .event:
            absorbEvent(entry, knownElsewhere: entry.jobId.map { byJob[PackedText($0)] == nil && index[$0] != nil } ?? false)
        case .givenUp:
            // Only a failed job gets one, and a failed job is no longer here.
            if let jobId = entry.jobId, let first = byJob[PackedText(jobId)] { drop(first) }
        case .handled, .dead, .replay, .other: break
        }
    }

    private mutating func absorbSubmission(_ entry: LedgerEntry, index: CorrelationIndex) {
        let key = entry.jobId.map(PackedText.init)
        if let intent = entry.intentSeq, let linked = closedSending.removeValue(forKey: intent),
            entry.jobId.map({ $0 == linked || (byJob[key ?? PackedText($0)] == nil && index[$0] == nil) }) ?? true
        {
            return
        }
        let known = key.flatMap { byJob[$0] }
        // The job's final event came first: ``JobBook`` keeps a final row for it, here it is gone.
        let finalElsewhere = entry.jobId.map { known == nil && index[$0]?.state.isFinal == true } ?? false
        if let intent = entry.intentSeq, let first = bySubmission[intent], rows[first]?.outcome == .sending,
            !finalElsewhere, key == nil || known == nil || known == first
        {
            rows[first]?.settle(with: entry)
            bySubmission[entry.seq] = first
            if let jobId = rows[first]?.packedJobId { byJob[jobId] = first }
            keepIfOpen(first)
            return
        }
        if finalElsewhere {
            // ``JobBook`` merges it into the closed row: that row is no longer `sending`.
            if let jobId = entry.jobId, !closedSending.isEmpty { closedSending = closedSending.filter { $0.value != jobId } }
            return
        }
        let row = JobBook.Row(submission: entry)
        if let existing = known, let knownRow = rows[existing] {
            rows[existing] = row.merged(into: knownRow)
            bySubmission[entry.seq] = existing
            keepIfOpen(existing)
            return
        }
        guard !row.state.isFinal else { return }
        rows[row.firstSeq] = row
        bySubmission[entry.seq] = row.firstSeq
        if let key { byJob[key] = row.firstSeq }
    }

    private mutating func absorbEvent(_ entry: LedgerEntry, knownElsewhere: Bool) {
        guard let jobId = entry.jobId, let eventType = entry.eventType, SubmissionRecord.isAICompletion(eventType) else {
            return
        }
        let key = PackedText(jobId)
        if entry.duplicateOf != nil {
            if let first = byJob[key] { rows[first]?.differingBodies += 1 }
            return
        }
        let first: UInt64
        if let known = byJob[key] {
            first = known
        } else if !knownElsewhere, let seq = entry.submissionSeq, let linked = bySubmission[seq],
            rows[linked].map({ !$0.hasJobId }) == true
        {
            first = linked
            rows[first]?.jobId = jobId
            byJob[key] = first
        } else {
            // A job heard of first here: open only if this event leaves it so.
            guard JobState(eventStatus: entry.status) == .pending else { return }
            rows[entry.seq] = JobBook.Row(unsolicited: entry, jobId: jobId, eventType: eventType)
            first = entry.seq
            byJob[key] = first
        }
        rows[first]?.record(event: entry)
        keepIfOpen(first)
    }

    private mutating func keepIfOpen(_ first: UInt64) {
        if let row = rows[first], row.state.isFinal { drop(first) }
    }

    private mutating func drop(_ first: UInt64) {
        guard let row = rows.remove(first) else { return }
        if row.outcome == .sending, let jobId = row.jobId { closedSending[first] = jobId }
        if let jobId = row.packedJobId, byJob[jobId] == first { byJob[jobId] = nil }
        for seq in [row.firstSeq, row.submissionSeq].compactMap(\.self) where bySubmission[seq] == first {
            bySubmission[seq] = nil
        }
    }

    public static func == (lhs: OpenJobs, rhs: OpenJobs) -> Bool {
        lhs.rows == rhs.rows && lhs.byJob == rhs.byJob && lhs.bySubmission == rhs.bySubmission
            && lhs.closedSending == rhs.closedSending
    }
}
