public import Logging
public import ServiceLifecycle
import VODHookCore

/// `serve --reconcile-every`: a reconcile round every `every`, writing through the server's own
/// ledger writer. A failed round (VOD unreachable, throttled) is logged and tried at the next tick.
public struct ReconcileService: Service {
    public let reconciler: Reconciler
    public let dataDir: String
    public let every: Duration
    public let olderThan: Int64
    public let logger: Logger
    private let now: @Sendable () -> Int64

    public init(reconciler: Reconciler, dataDir: String, every: Duration, olderThan: Int64, logger: Logger,
                now: @escaping @Sendable () -> Int64 = WallClock.milliseconds) {
        self.reconciler = reconciler
        self.dataDir = dataDir
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
                let report = try await reconciler.run(dataDir: dataDir, olderThan: olderThan, now: now())
                guard report.asked > 0 else { continue }
                logger.notice("reconciled pending jobs with ListAIJob", metadata: [
                    "reconcile.asked": "\(report.asked)", "reconcile.recorded": "\(report.recorded.count)",
                    "reconcile.running": "\(report.stillRunning)", "reconcile.unknown_to_vod": "\(report.unknownToVOD.count)",
                ])
            } catch {
                logger.warning("reconcile round failed; trying again at the next one", metadata: ["error": "\(error)"])
            }
        }
    }
}
