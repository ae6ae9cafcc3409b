import Metrics
import Synchronization
public import VODHookCore

/// What the ledger writer tells the outside while it runs: per-batch metrics (through
/// swift-metrics), and the latest figures for `/status` and the gauges of `/metrics`, published
/// by the writer thread after each durable batch so that no reader touches the writer's state.
public final class LedgerTelemetry: Sendable {
    private let lastSeqValue = Atomic<UInt64>(0)
    /// Unix ms; 0 for none.
    private let lastEventAtValue = Atomic<Int64>(0)
    private let pendingValue = Atomic<Int>(0)
    private let unknownValue = Atomic<Int>(0)
    private let batchBytes = Recorder(label: "vodhook_ledger_batch_bytes")
    private let syncDuration = Timer(label: "vodhook_ledger_fdatasync_duration_seconds")
    /// Results only: a `sending` line is the intent before the call, not an outcome.
    private let submissions: [SubmissionRecord.Outcome: Counter]

    init() {
        submissions = Dictionary(
            uniqueKeysWithValues: SubmissionRecord.Outcome.allCases.filter { $0 != .sending }.map {
                ($0, Counter(label: "vodhook_submissions_total", dimensions: [("outcome", $0.rawValue)]))
            })
    }

    /// The seq of the last durable line.
    public var lastSeq: UInt64 { lastSeqValue.load(ordering: .relaxed) }
    /// When the latest event line was written (Unix ms).
    public var lastEventAt: Int64? {
        let value = lastEventAtValue.load(ordering: .relaxed)
        return value == 0 ? nil : value
    }
    /// Jobs submitted with no final event yet.
    public var pendingJobs: Int { pendingValue.load(ordering: .relaxed) }
    /// Submissions whose answer never came, not yet tied to a job by an event.
    public var unknownJobs: Int { unknownValue.load(ordering: .relaxed) }

    /// What the ledger held when it was opened.
    func opened(_ state: LedgerState) {
        lastSeqValue.store(state.lastSeq, ordering: .relaxed)
        lastEventAtValue.store(state.lastEventAt ?? 0, ordering: .relaxed)
        publish(state.index)
    }

    /// One fdatasync that succeeded.
    func synced(nanoseconds: UInt64) {
        syncDuration.recordNanoseconds(Int64(clamping: nanoseconds))
    }

    /// A batch made durable at `at` (Unix ms), its last line `lastSeq`.
    func committed(_ records: some Sequence<LedgerRecord>, bytes: Int, at: Int64, lastSeq: UInt64, index: CorrelationIndex) {
        batchBytes.record(bytes)
        var events = false
        for record in records {
            switch record {
            case .event: events = true
            case .submitted(let submission): submissions[submission.outcome]?.increment()
            case .handled, .dead, .replay, .givenUp: break
            }
        }
        if events { lastEventAtValue.store(at, ordering: .relaxed) }
        lastSeqValue.store(lastSeq, ordering: .relaxed)
        publish(index)
    }

    private func publish(_ index: CorrelationIndex) {
        pendingValue.store(index.pendingCount, ordering: .relaxed)
        unknownValue.store(index.unansweredCount, ordering: .relaxed)
    }
}
