import Metrics

/// One handler's metrics, created once (swift-metrics looks a metric up by label and dimensions).
struct DispatchMetrics: Sendable {
    let ok: Counter
    let failed: Counter
    let dead: Counter
    let duration: Metrics.Timer
    let backlog: Gauge

    init(handler: String) {
        ok = Counter(label: "vodhook_handler_runs_total", dimensions: [("handler", handler), ("result", "ok")])
        failed = Counter(label: "vodhook_handler_runs_total", dimensions: [("handler", handler), ("result", "failed")])
        dead = Counter(label: "vodhook_handler_dead_total", dimensions: [("handler", handler)])
        duration = Metrics.Timer(label: "vodhook_handler_run_duration_seconds", dimensions: [("handler", handler)])
        backlog = Gauge(label: "vodhook_handler_backlog", dimensions: [("handler", handler)])
    }
}
