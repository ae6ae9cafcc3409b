/// What a `resubmit` handler must know of the ledger for every fail event, kept in memory by the
/// writer (fed by the start-up read, or a checkpoint, and by each line it appends): whether a failed job was already submitted
/// again or its chain given up. Small: only re-submissions and `given_up` lines are kept.
///
/// The rest it needs (the failed job's media, type, config and user data) is in the job's
/// `submitted` line, which the event names by `submission_seq`: read when a job is actually
/// submitted again, not held for every job.
public struct ResubmitBook: Sendable, Equatable {
    /// What was already done about a failed job.
    public enum Done: Sendable, Equatable {
        /// A new job was asked for: `sending` (the call's answer not recorded: a job may exist),
        /// `accepted` or `unknown`. A `refused` call made no job and does not count.
        case resubmitted(SubmissionRecord.Outcome)
        /// Its chain was at the limit.
        case givenUp
    }

    // Kept for good, not for a window: a late fail event recorded after the dedup window must
    // still find its job re-submitted, or it would be submitted (and billed) twice.
    var resubmitted: [String: SubmissionRecord.Outcome] = [:]
    var givenUp: Set<String> = []

    public init() {}

    /// Folds in one line read back, in ledger order.
    public mutating func absorb(_ entry: LedgerEntry) {
        switch entry.kind {
        case .submitted:
            if let of = entry.resubmitOf, let outcome = entry.outcome { resubmitted[of] = outcome }
        case .givenUp:
            if let jobId = entry.jobId { givenUp.insert(jobId) }
        case .event, .handled, .dead, .replay, .other:
            break
        }
    }

    /// Folds in a record just appended.
    public mutating func absorb(_ record: LedgerRecord) {
        switch record {
        case .submitted(let submission):
            if let of = submission.resubmitOf { resubmitted[of] = submission.outcome }
        case .givenUp(let record):
            givenUp.insert(record.jobId)
        case .event, .handled, .dead, .replay:
            break
        }
    }

    /// Whether a record can change the book (the writer takes its lock only for those).
    public static func concerns(_ record: LedgerRecord) -> Bool {
        switch record {
        case .submitted(let submission): submission.resubmitOf != nil
        case .givenUp: true
        case .event, .handled, .dead, .replay: false
        }
    }

    /// What was done about failed job `jobId`; nil if nothing (or only calls VOD refused).
    public func done(for jobId: String) -> Done? {
        if givenUp.contains(jobId) { return .givenUp }
        guard let outcome = resubmitted[jobId], outcome != .refused else { return nil }
        return .resubmitted(outcome)
    }

    /// What a `resubmit` handler does with an event.
    public enum Step: Sendable, Equatable {
        /// Nothing: not a failed AI job, or not one vodhook submitted, or already dealt with.
        case ignore(String)
        /// The chain holds `max_attempts` jobs: record that it stops here.
        case giveUp(GivenUpRecord)
        /// Submit this again (one type, the failed job's own).
        case resubmit(SubmitItem)
    }

    /// The step for a fail event whose `submitted` line is `submission` (nil when the event is
    /// uncorrelated or the line cannot be found), given what was done already.
    public static func step(
        for event: LedgerEntry, submission: SubmissionRecord?, done: Done?, maxAttempts: Int, handler: String
    ) -> Step {
        guard event.kind == .event, let eventType = event.eventType, let type = SubmissionRecord.aiType(ofEventType: eventType),
            let jobId = event.jobId
        else { return .ignore("not an AI job's event") }
        guard event.status == "fail" else { return .ignore("the job did not fail") }
        guard event.duplicateOf == nil else { return .ignore("another body of an event already recorded (body_differs)") }
        guard event.submissionSeq != nil else { return .ignore("uncorrelated: vodhook did not submit this job") }
        if let done {
            return .ignore(done == .givenUp ? "its chain was already given up" : "already submitted again")
        }
        guard let submission, submission.aiType == type else {
            return .ignore("its submitted line (seq \(event.submissionSeq ?? 0)) cannot be read")
        }
        let chain = submission.chain ?? jobId
        guard submission.attempt < maxAttempts else {
            return .giveUp(
                GivenUpRecord(
                    handler: handler, eventSeq: event.seq, jobId: jobId, mediaId: submission.mediaId, aiType: type,
                    chain: chain, attempts: submission.attempt))
        }
        return .resubmit(
            SubmitItem(
                mediaId: submission.mediaId, types: [type], aiConfig: submission.aiConfig, userData: submission.userData,
                origin: "resubmit of \(jobId)",
                resubmission: Resubmission(chain: chain, attempt: submission.attempt + 1, of: jobId)))
    }
}
