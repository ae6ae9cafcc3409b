public import Hummingbird
import NIOCore
public import Prometheus
public import VODHook

/// `GET /metrics`: everything counted through swift-metrics, in Prometheus text format, plus
/// gauges read at scrape time. Only on the admin listener (`--admin-listen`): the public
/// listener, reachable by anyone who can post a callback, answers 404.
public struct MetricsRoutes: Sendable {
    public let registry: PrometheusCollectorRegistry
    /// Empty while serve reads the ledger at start: `vodhook_ready` is 0 meanwhile.
    public let ledger: LedgerGate
    private let ready: Gauge
    private let pending: Gauge
    private let unknown: Gauge
    private let lastSeq: Gauge
    private let lastEvent: Gauge

    /// - Parameter startedAt: when serve started (Unix ms): `vodhook_start_time_seconds`.
    public init(registry: PrometheusCollectorRegistry, ledger: LedgerWriter, startedAt: Int64) {
        self.init(registry: registry, gate: LedgerGate(ledger), startedAt: startedAt)
    }

    public init(registry: PrometheusCollectorRegistry, gate: LedgerGate, startedAt: Int64) {
        self.registry = registry
        self.ledger = gate
        ready = registry.makeGauge(name: "vodhook_ready")
        pending = registry.makeGauge(name: "vodhook_jobs_pending")
        unknown = registry.makeGauge(name: "vodhook_jobs_unknown")
        lastSeq = registry.makeGauge(name: "vodhook_ledger_last_seq")
        lastEvent = registry.makeGauge(name: "vodhook_last_event_timestamp_seconds")
        registry.makeGauge(name: "vodhook_start_time_seconds").set(to: Double(startedAt) / 1000)
    }

    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("metrics") { _, _ in
            refresh()
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }

    /// The figures the writer publishes, copied into their gauges just before they are rendered.
    private func refresh() {
        guard let ledger = ledger.current else {
            ready.set(to: 0)
            return
        }
        let telemetry = ledger.telemetry
        ready.set(to: ledger.isReady ? 1 : 0)
        pending.set(to: Double(telemetry.pendingJobs))
        unknown.set(to: Double(telemetry.unknownJobs))
        lastSeq.set(to: Double(telemetry.lastSeq))
        lastEvent.set(to: telemetry.lastEventAt.map { Double($0) / 1000 } ?? 0)
    }
}
