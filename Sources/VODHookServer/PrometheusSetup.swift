import Metrics
public import Prometheus

/// Makes Prometheus the swift-metrics backend of this process, with buckets that fit what
/// vodhook measures. Only `serve` with an admin listener calls it (once, before anything makes
/// a metric: a metric made earlier stays bound to the no-op backend).
public enum PrometheusSetup {
    /// fdatasync: tens of microseconds on a fast SSD's cache, to seconds on a disk in trouble.
    static let syncBuckets: [Duration] = [
        .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500),
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
    ]
    /// Every other timer (the handlers' runs: a file written in a millisecond, a program or a
    /// VOD call taking minutes).
    static let durationBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500),
        .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(120), .seconds(300),
    ]
    /// Lines in one group commit: 1 when idle, hundreds under a burst of callbacks.
    static let batchLineBuckets: [Double] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096]
    /// Bytes in one group commit: one small event (~300 B) to many large ones.
    static let batchByteBuckets: [Double] = [
        256, 1024, 4096, 16384, 65536, 262_144, 1_048_576, 4_194_304, 16_777_216, 67_108_864,
    ]

    /// Bootstraps swift-metrics with a Prometheus factory and returns the registry `/metrics` renders.
    public static func bootstrap() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(factory(registry))
        return registry
    }

    /// The factory alone (tests give it a registry of their own instead of bootstrapping).
    public static func factory(_ registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = durationBuckets
        factory.durationHistogramBuckets = ["vodhook_ledger_fdatasync_duration_seconds": syncBuckets]
        factory.valueHistogramBuckets = [
            "vodhook_ledger_batch_lines": batchLineBuckets, "vodhook_ledger_batch_bytes": batchByteBuckets,
        ]
        return factory
    }
}
