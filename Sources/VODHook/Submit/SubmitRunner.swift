import Synchronization
public import VODHookCore

/// Runs a batch of submissions: at most `rate` calls a second, `concurrency` at once, each
/// call's records made durable before it counts as done.
///
/// Each call is bracketed by the ledger: its `sending` lines are durable before the request
/// leaves, its result lines after the answer. A process killed in between leaves the `sending`
/// lines, which read as `unknown`, so a rerun never submits (and bills) that media twice.
///
/// Stopping (Ctrl-C) starts no new call; the calls in flight finish and are recorded, so
/// nothing is half-recorded and a rerun resumes where this one stopped.
public struct SubmitRunner: Sendable {
    public let client: VODClient
    public let sink: any LedgerSink
    /// Calls per second (VOD allows 30 per account, shared by all its users).
    public let rate: Double
    public let concurrency: Int

    public init(client: VODClient, sink: any LedgerSink, rate: Double, concurrency: Int) {
        self.client = client
        self.sink = sink
        self.rate = rate
        self.concurrency = max(1, concurrency)
    }

    /// One media's call and what was recorded for it.
    public struct Done: Sendable {
        public let item: SubmitItem
        public let records: [SubmissionRecord]
        public let seqs: [UInt64]
    }

    /// What a run did.
    public struct Summary: Sendable {
        public var done: [Done] = []
        /// Items not started because the run was stopped.
        public var notStarted = 0
        /// Jobs VOD created that could not be recorded (the sink failed): print them.
        public var unrecorded: [SubmissionRecord] = []
        public var sinkError: String?

        public var records: [SubmissionRecord] { done.flatMap(\.records) }
        public func count(_ outcome: SubmissionRecord.Outcome) -> Int { records.filter { $0.outcome == outcome }.count }
    }

    /// Submits `work` in order of start; `progress` hears of each finished call.
    public func run(
        _ work: [SubmitItem], stop: StopFlag, progress: @escaping @Sendable (Done) -> Void = { _ in }
    ) async -> Summary {
        let queue = WorkQueue(work)
        let pacer = Pacer(interval: rate > 0 ? Duration.seconds(1 / rate) : .zero)
        let summary = Shared(Summary())
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<min(concurrency, work.count) {
                group.addTask {
                    while !stop.isSet, summary.state.withLock({ $0.sinkError == nil }), let item = queue.next() {
                        try? await Task.sleep(until: pacer.reserve(), clock: .continuous)
                        // Stopped while waiting for the slot: the item was not started.
                        guard !stop.isSet else {
                            queue.giveBack()
                            break
                        }
                        let outcome = await submit(item)
                        summary.state.withLock { summary in
                            switch outcome {
                            case .success(let done): summary.done.append(done)
                            case .failure(let failure):
                                summary.unrecorded += failure.records.filter { $0.outcome != .refused }
                                summary.sinkError = summary.sinkError ?? failure.message
                            }
                        }
                        if case .success(let done) = outcome { progress(done) }
                    }
                }
            }
        }
        return summary.state.withLock { summary in
            summary.notStarted = queue.remaining
            return summary
        }
    }

    private struct Unrecorded: Error {
        let records: [SubmissionRecord]
        let message: String
    }

    private func submit(_ item: SubmitItem) async -> Result<Done, Unrecorded> {
        let intentSeqs: [UInt64]
        do {
            intentSeqs = try await sink.append(item.intents.map(LedgerRecord.submitted)).map(\.seq)
        } catch {
            // Nothing was sent: there is no job to lose.
            return .failure(Unrecorded(records: [], message: "\(error) (media \(item.mediaId) not submitted)"))
        }
        let result: Result<SubmitAIJobResponse, VODClientError>
        do {
            result = .success(
                try await client.submitAIJob(
                    mediaId: item.mediaId, types: item.types, config: item.aiConfig, userData: item.userData))
        } catch {
            result = .failure(error)
        }
        var records = SubmissionRecords.make(item: item, result: result)
        for index in records.indices where index < intentSeqs.count { records[index].intentSeq = intentSeqs[index] }
        do {
            let outcomes = try await sink.append(records.map(LedgerRecord.submitted))
            return .success(Done(item: item, records: records, seqs: outcomes.map(\.seq)))
        } catch {
            return .failure(Unrecorded(records: records, message: "\(error)"))
        }
    }
}

/// A value the workers share.
final class Shared<Value: Sendable>: Sendable {
    let state: Mutex<Value>

    init(_ value: Value) { state = Mutex(value) }
}

/// Set once (by Ctrl-C) to stop a run between calls.
public final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    public var isSet: Bool { flag.load(ordering: .acquiring) }

    public func set() { flag.store(true, ordering: .releasing) }
}

/// The items not yet started, handed out one at a time.
final class WorkQueue: Sendable {
    private let state: Mutex<(items: [SubmitItem], next: Int)>

    init(_ items: [SubmitItem]) { state = Mutex((items, 0)) }

    func next() -> SubmitItem? {
        state.withLock { state in
            guard state.next < state.items.count else { return nil }
            defer { state.next += 1 }
            return state.items[state.next]
        }
    }

    /// Returns the item last handed out, unstarted (counted by ``remaining``).
    func giveBack() { state.withLock { $0.next -= 1 } }

    var remaining: Int { state.withLock { $0.items.count - $0.next } }
}

/// Evenly spaced start times: the n-th reservation is `n × interval` after the first.
final class Pacer: Sendable {
    private let interval: Duration
    private let next: Mutex<ContinuousClock.Instant?>

    init(interval: Duration) {
        self.interval = interval
        next = Mutex(nil)
    }

    func reserve() -> ContinuousClock.Instant {
        next.withLock { next in
            let now = ContinuousClock.now
            let slot = max(now, next ?? now)
            next = slot + interval
            return slot
        }
    }
}
