import Foundation
import VODHookCore

/// A ledger of many jobs whose lines are interleaved across several rotated files and the live
/// file, with every kind of line `vodhook job` shows: `sending` lines settled or left unknown,
/// events answering them, handler outcomes (`handled`, `dead`, `replay`) of those events,
/// re-submission chains (an accepted re-submission, a refused one, a `given_up`), and
/// unsolicited jobs. Written with the ledger codec, as the writer writes it.
struct JobLedgerFixture {
    /// Every JobId written (chain members included).
    private(set) var jobIds: [String] = []
    private var lines: [[UInt8]] = []
    private var seq: UInt64 = 0

    /// The JobId of job `index`, and of its re-submission.
    static func jobId(_ index: Int) -> String { "job-\(index)" }
    static func resubmitted(_ index: Int) -> String { "job-\(index)-again" }

    init(jobs: Int) throws {
        // Each job is a list of steps; step k of every job is written before step k+1 of any, so
        // a job's lines lie far apart, in different files.
        var steps: [[(inout JobLedgerFixture, inout JobState) -> Void]] = []
        for index in 0..<jobs { steps.append(try Self.steps(index)) }
        var states = [JobState](repeating: JobState(), count: jobs)
        for round in 0..<(steps.map(\.count).max() ?? 0) {
            for index in 0..<jobs where round < steps[index].count { steps[index][round](&self, &states[index]) }
        }
    }

    /// What one job has written so far.
    struct JobState {
        var submission: UInt64?
        var event: UInt64?
    }

    private mutating func write(_ record: LedgerRecord, submissionSeq: UInt64? = nil) -> UInt64 {
        seq += 1
        lines.append(
            LedgerLine.encode(seq: seq, at: 1_700_000_000_000 + Int64(seq) * 1000, record: record, submissionSeq: submissionSeq))
        return seq
    }

    private static func event(_ jobId: String, status: String) throws -> LedgerRecord {
        let body = Array(
            #"{"EventType":"AIVideoTagComplete","JobId":"\#(jobId)","MediaId":"m-\#(jobId)","Status":"\#(status)"}"#.utf8)
        return .event(EventRecord(envelope: try EventParser.envelope(of: body), body: body))
    }

    private static func steps(_ index: Int) throws -> [(inout JobLedgerFixture, inout JobState) -> Void] {
        let id = jobId(index)
        let media = "m-\(id)"
        var steps: [(inout JobLedgerFixture, inout JobState) -> Void] = []
        switch index % 6 {
        case 0:  // a `sending` line settled by its result
            steps.append { ledger, state in
                state.submission = ledger.write(
                    .submitted(SubmissionRecord(outcome: .sending, mediaId: media, aiType: "AIVideoTag")))
            }
            steps.append { ledger, state in
                state.submission = ledger.write(
                    .submitted(
                        SubmissionRecord(
                            outcome: .accepted, mediaId: media, aiType: "AIVideoTag", jobId: id, intentSeq: state.submission)))
                ledger.jobIds.append(id)
            }
        case 1:  // a `sending` line never settled: the event names it by submission_seq
            steps.append { ledger, state in
                state.submission = ledger.write(
                    .submitted(SubmissionRecord(outcome: .unknown, mediaId: media, aiType: "AIVideoTag")))
                ledger.jobIds.append(id)
            }
        case 5:  // unsolicited: events only
            steps.append { ledger, _ in ledger.jobIds.append(id) }
        default:
            steps.append { ledger, state in
                state.submission = ledger.write(
                    .submitted(SubmissionRecord(outcome: .accepted, mediaId: media, aiType: "AIVideoTag", jobId: id)))
                ledger.jobIds.append(id)
            }
        }
        let fails = index % 3 == 2
        let first = try event(id, status: fails ? "fail" : "success")
        steps.append { ledger, state in state.event = ledger.write(first, submissionSeq: state.submission) }
        steps.append { ledger, state in
            guard let event = state.event else { return }
            _ = ledger.write(
                .handled(HandledRecord(handler: "notify", eventSeq: event, attempt: 1, result: .failed, durationMs: 3)))
            if index % 4 == 0 {
                _ = ledger.write(.dead(DeadRecord(handler: "notify", eventSeq: event, attempts: 1, reason: "exit 1")))
            }
        }
        if index % 5 == 0 {
            steps.append { ledger, state in
                guard let event = state.event else { return }
                _ = ledger.write(.replay(ReplayRecord(handler: "notify", eventSeq: event, jobId: id)))
                _ = ledger.write(
                    .handled(HandledRecord(handler: "notify", eventSeq: event, attempt: 2, result: .ok, durationMs: 2)))
            }
        }
        guard fails, index % 6 != 5, index % 6 != 1 else { return steps }
        // A failed job of vodhook's is re-submitted: a refused try, then an accepted one that fails again, given up.
        let again = resubmitted(index)
        let failedAgain = try event(again, status: "fail")
        steps.append { ledger, _ in
            _ = ledger.write(
                .submitted(
                    SubmissionRecord(
                        outcome: .refused, mediaId: media, aiType: "AIVideoTag", chain: id, attempt: 2, resubmitOf: id,
                        error: .init(code: "Throttling", message: "slow down"))))
        }
        steps.append { ledger, state in
            state.submission = ledger.write(
                .submitted(
                    SubmissionRecord(
                        outcome: .accepted, mediaId: media, aiType: "AIVideoTag", jobId: again, chain: id, attempt: 2,
                        resubmitOf: id)))
            ledger.jobIds.append(again)
        }
        steps.append { ledger, state in
            state.event = ledger.write(failedAgain, submissionSeq: state.submission)
        }
        steps.append { ledger, state in
            guard let event = state.event else { return }
            _ = ledger.write(
                .givenUp(
                    GivenUpRecord(
                        handler: "again", eventSeq: event, jobId: again, mediaId: media, aiType: "AIVideoTag", chain: id,
                        attempts: 2)))
        }
        return steps
    }

    var lineCount: Int { lines.count }

    /// Writes the lines (the first `count` only, if given) into `dataDir`: rotated files of
    /// `perFile` lines each, the rest live.
    func write(to dataDir: String, perFile: Int, count: Int? = nil) throws {
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        let lines = self.lines.prefix(count ?? self.lines.count)
        var start = 0
        while start < lines.count {
            let end = min(start + perFile, lines.count)
            let name =
                end == lines.count
                ? LedgerFileName.live : .rotated(first: UInt64(start + 1), last: UInt64(end))
            try Data(lines[start..<end].joined()).write(to: URL(fileURLWithPath: dataDir + "/" + name.name))
            start = end
        }
    }
}
