public import Logging
import Metrics
public import ServiceLifecycle
public import VODHookCore

/// `serve --reconcile-every`: a reconcile round every `every`, over the pending jobs the server's
/// writer holds in memory (`open`), writing through that writer: a round reads no ledger file.
/// A failed round (VOD unreachable, throttled) is logged and tried at the next tick.
public struct ReconcileService: Service {
    public let reconciler: Reconciler
    /// The jobs still pending or unknown (``LedgerWriter/openJobs``).
    public let open: @Sendable () -> [JobBook.Row]
    public let every: Duration
    public let olderThan: Int64
    public let logger: Logger
    private let now: @Sendable () -> Int64
    private let metrics = ReconcileMetrics()

    public init(
        reconciler: Reconciler, open: @escaping @Sendable () -> [JobBook.Row], every: Duration, olderThan: Int64,
        logger: Logger, now: @escaping @Sendable () -> Int64 = WallClock.milliseconds
    ) {
        self.reconciler = reconciler
        self.open = open
        self.every = every
        self.olderThan = olderThan
        self.logger = logger
        self.now = now
    }

    public func run() async throws {
        while true {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: every) }
            } catch {
                return
            }
            if Task.isShuttingDownGracefully { return }
            do {
                let report = try await reconciler.run(open: open(), olderThan: olderThan, now: now())
                metrics.round(report)
                guard report.asked > 0 else { continue }
                logger.notice(
                    "reconciled pending jobs with ListAIJob",
                    metadata: [
                        "reconcile.asked": "\(report.asked)", "reconcile.recorded": "\(report.recorded.count)",
                        "reconcile.running": "\(report.stillRunning)", "reconcile.unknown_to_vod": "\(report.unknownToVOD.count)",
                    ])
            } catch {
                metrics.failed()
                logger.warning("reconcile round failed; trying again at the next one", metadata: ["error": "\(error)"])
            }
        }
    }
}

/// `vodhook_reconcile_rounds_total{result}` and `vodhook_reconcile_jobs_total{result}`: how the
/// rounds went, and what ListAIJob said of each job asked about.
struct ReconcileMetrics: Sendable {
    private let roundsOK = Counter(label: "vodhook_reconcile_rounds_total", dimensions: [("result", "ok")])
    private let roundsFailed = Counter(label: "vodhook_reconcile_rounds_total", dimensions: [("result", "failed")])
    private let recorded = Counter(label: "vodhook_reconcile_jobs_total", dimensions: [("result", "recorded")])
    private let alreadyKnown = Counter(label: "vodhook_reconcile_jobs_total", dimensions: [("result", "already_known")])
    private let running = Counter(label: "vodhook_reconcile_jobs_total", dimensions: [("result", "running")])
    private let unknownToVOD = Counter(label: "vodhook_reconcile_jobs_total", dimensions: [("result", "unknown_to_vod")])

    func round(_ report: Reconciler.Report) {
        roundsOK.increment()
        recorded.increment(by: report.recorded.count)
        alreadyKnown.increment(by: report.alreadyKnown)
        running.increment(by: report.stillRunning)
        unknownToVOD.increment(by: report.unknownToVOD.count)
    }

    func failed() { roundsFailed.increment() }
}
