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
    ///
    /// Kept compact: a server holds every pending job's row (``OpenJobs``), hundreds of thousands
    /// of them. IDs are ``PackedText`` (no allocation for VOD's shapes), optional numbers a value
    /// and a bit in ``present``, and the rare fields (another chain's JobId, a failure) one box.
    public struct Row: Sendable, Equatable {
        var packedJobId: PackedText?
        public var state: JobState
        public var outcome: SubmissionRecord.Outcome?
        /// Which of the optional numbers below are set (``Present``).
        var present: UInt8 = 0
        var packedMediaId: PackedText?
        var packedRequestId: PackedText?
        /// The seq of the first line about it (its submission, or its first event).
        public var firstSeq: UInt64
        var rawSubmissionSeq: UInt64 = 0
        var rawSubmittedAt: Int64 = 0
        var rawLastEventSeq: UInt64 = 0
        var rawLastEventAt: Int64 = 0
        var rawAttempt: Int = 0
        /// How many event lines it has, and the seq of the latest (`vodhook job` lists them all).
        public var eventCount = 0
        /// Event lines that repeated a recorded key with another body (`body_differs`): they
        /// change nothing here, but one of the bodies is not VOD's.
        public var differingBodies = 0
        public var aiType: String?
        /// Its latest event's `Status` and `source`.
        public var lastStatus: String?
        public var lastSource: String?
        /// Boxed: rare (re-submissions, refused and unknown submissions).
        var rare: RareFields?

        enum Present {
            static let submissionSeq: UInt8 = 1
            static let submittedAt: UInt8 = 2
            static let lastEventSeq: UInt8 = 4
            static let lastEventAt: UInt8 = 8
            static let attempt: UInt8 = 16
        }

        init(
            jobId: String? = nil, mediaId: String? = nil, aiType: String? = nil, submissionSeq: UInt64? = nil,
            submittedAt: Int64? = nil, state: JobState, outcome: SubmissionRecord.Outcome? = nil, requestId: String? = nil,
            otherChain: String? = nil, attempt: Int? = nil, failure: FailureBox? = nil, eventCount: Int = 0,
            lastEventSeq: UInt64? = nil, lastEventAt: Int64? = nil, lastStatus: String? = nil, lastSource: String? = nil,
            firstSeq: UInt64, differingBodies: Int = 0
        ) {
            self.state = state
            self.outcome = outcome
            self.firstSeq = firstSeq
            self.eventCount = eventCount
            self.differingBodies = differingBodies
            self.aiType = aiType
            self.lastStatus = lastStatus
            self.lastSource = lastSource
            self.jobId = jobId
            self.mediaId = mediaId
            self.requestId = requestId
            self.submissionSeq = submissionSeq
            self.submittedAt = submittedAt
            self.lastEventSeq = lastEventSeq
            self.lastEventAt = lastEventAt
            self.attempt = attempt
            if otherChain != nil || failure != nil { rare = RareFields(otherChain: otherChain, failure: failure) }
        }

        public var jobId: String? {
            get { packedJobId?.string }
            set { packedJobId = newValue.map(PackedText.init) }
        }
        public var mediaId: String? {
            get { packedMediaId?.string }
            set { packedMediaId = newValue.map(PackedText.init) }
        }
        public var requestId: String? {
            get { packedRequestId?.string }
            set { packedRequestId = newValue.map(PackedText.init) }
        }
        /// The `submitted` line; nil for an unsolicited job.
        public var submissionSeq: UInt64? {
            get { value(rawSubmissionSeq, Present.submissionSeq) }
            set {
                mark(newValue != nil, Present.submissionSeq)
                rawSubmissionSeq = newValue ?? 0
            }
        }
        /// When vodhook recorded the submission (Unix ms); nil for an unsolicited job.
        public var submittedAt: Int64? {
            get { value(rawSubmittedAt, Present.submittedAt) }
            set {
                mark(newValue != nil, Present.submittedAt)
                rawSubmittedAt = newValue ?? 0
            }
        }
        public var lastEventSeq: UInt64? {
            get { value(rawLastEventSeq, Present.lastEventSeq) }
            set {
                mark(newValue != nil, Present.lastEventSeq)
                rawLastEventSeq = newValue ?? 0
            }
        }
        /// When its latest event was recorded (Unix ms).
        public var lastEventAt: Int64? {
            get { value(rawLastEventAt, Present.lastEventAt) }
            set {
                mark(newValue != nil, Present.lastEventAt)
                rawLastEventAt = newValue ?? 0
            }
        }
        public var attempt: Int? {
            get { value(rawAttempt, Present.attempt) }
            set {
                mark(newValue != nil, Present.attempt)
                rawAttempt = newValue ?? 0
            }
        }
        /// The chain's first JobId when it is not this job's own (kept apart: one string less a row).
        var otherChain: String? {
            get { rare?.otherChain }
            set { rare = RareFields.make(otherChain: newValue, failure: rare?.failure) }
        }
        /// Why VOD refused, or what went wrong.
        public var error: SubmissionRecord.Failure? {
            get { rare?.failure?.value }
            set { rare = RareFields.make(otherChain: rare?.otherChain, failure: newValue.map(FailureBox.init)) }
        }
        var failure: FailureBox? { rare?.failure }

        /// Its JobId (`media: false`) or MediaId as UTF-8 appended to `out`, and their count, with
        /// no String made; nil when it has none.
        public func appendID(media: Bool, to out: inout [UInt8]) { (media ? packedMediaId : packedJobId)?.appendUTF8(to: &out) }

        public func idByteCount(media: Bool) -> Int? { (media ? packedMediaId : packedJobId)?.utf8Count }

        /// Whether its JobId and MediaId are ASCII (a byte is then a column of a text table).
        public var idsAreASCII: Bool { (packedJobId?.isASCII ?? true) && (packedMediaId?.isASCII ?? true) }

        /// Whether it has a JobId, without spelling it out.
        var hasJobId: Bool { packedJobId != nil }

        /// Whether its JobId is `jobId`, without spelling its own out.
        func hasJobId(_ jobId: String) -> Bool { packedJobId == PackedText(jobId) }

        private func value<T>(_ raw: T, _ bit: UInt8) -> T? { present & bit == 0 ? nil : raw }

        private mutating func mark(_ isSet: Bool, _ bit: UInt8) {
            if isSet { present |= bit } else { present &= ~bit }
        }

        /// The JobId of its re-submission chain's first job (its own for a first submission).
        public var chain: String? { otherChain ?? (outcome == .accepted ? jobId : nil) }

        /// A job vodhook did not submit.
        public var isUnsolicited: Bool { submissionSeq == nil }

        /// When it was first recorded: submitted, or first heard of.
        public var since: Int64 { submittedAt ?? lastEventAt ?? 0 }

        /// Whether it passes every given filter (`vodhook jobs --status --media-id --since`).
        public func matches(state: JobState?, mediaId: String?, since: Int64?) -> Bool {
            (state == nil || self.state == state) && (mediaId == nil || packedMediaId == mediaId.map(PackedText.init))
                && (since == nil || self.since >= since ?? 0)
        }
    }

    public private(set) var rows: [Row] = []
    private var byJob: [String: Int] = [:]
    private var bySubmission: [UInt64: Int] = [:]
    private var window: JobWindow?

    public init() {}

    /// A book for `vodhook jobs --since`: rows first recorded before `window.since` are not kept.
    /// Its ``rows(state:mediaId:since:)`` with that `since` are a whole book's (docs/ledger.md).
    public init(window: JobWindow) { self.window = window }

    /// Folds in one line, in ledger order.
    public mutating func absorb(_ entry: LedgerEntry) {
        if window != nil, !admits(entry) { return }
        switch entry.kind {
        case .submitted: absorbSubmission(entry)
        case .event: absorbEvent(entry)
        case .givenUp:
            // The fail stands; what changes is that nothing will follow it.
            if let jobId = entry.jobId, let index = byJob[jobId] { rows[index].state = .givenUp }
        case .handled, .dead, .replay, .other: break
        }
    }

    /// Whether `entry` can touch a row first recorded since the window's start; a line that would
    /// start a row before it rules out its job, so that the job's later lines are passed over too.
    private mutating func admits(_ entry: LedgerEntry) -> Bool {
        guard var window else { return true }
        // Taken out while changed: a second reference would copy its sets at every insert.
        self.window = nil
        defer { self.window = window }
        if let id = entry.jobId, window.excludedJobs.contains(id) { return false }
        let linked: UInt64? =
            switch entry.kind {
            case .submitted: entry.intentSeq
            case .event: entry.submissionSeq
            default: nil
            }
        let startsEarlier =
            entry.kind == .submitted && entry.at < window.since
            && linked.flatMap { bySubmission[$0] } == nil && entry.jobId.flatMap { byJob[$0] } == nil
        guard startsEarlier || linked.map({ $0 < window.firstSeq || window.excludedSeqs.contains($0) }) == true else {
            return true
        }
        if let id = entry.jobId { window.excludedJobs.insert(id) }
        if entry.kind == .submitted { window.excludedSeqs.insert(entry.seq) }
        return false
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

/// A row's rare fields, boxed so every other row carries one pointer for them.
final class RareFields: Sendable, Equatable {
    let otherChain: String?
    let failure: FailureBox?

    init(otherChain: String?, failure: FailureBox?) {
        self.otherChain = otherChain
        self.failure = failure
    }

    static func make(otherChain: String?, failure: FailureBox?) -> RareFields? {
        otherChain == nil && failure == nil ? nil : RareFields(otherChain: otherChain, failure: failure)
    }

    static func == (lhs: RareFields, rhs: RareFields) -> Bool {
        lhs.otherChain == rhs.otherChain && lhs.failure == rhs.failure
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
        String(decoding: jsonLine(appendingTo: []).dropLast(), as: UTF8.self)
    }

    /// ``jsonLine()`` and a newline after `lines`: `jobs --json` writes 500 k rows from one buffer.
    public func jsonLine(appendingTo lines: consuming [UInt8]) -> [UInt8] {
        var line = LineBuilder(appendingTo: lines, capacity: 512)
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
        return line.finish()
    }
}
