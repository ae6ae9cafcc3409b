import VODHookCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The real clock, at the edge: the core takes time as a parameter.
public enum WallClock {
    /// Unix time in milliseconds.
    @Sendable public static func milliseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }

    /// Unix time in seconds.
    @Sendable public static func seconds() -> Int64 { milliseconds() / 1000 }

    /// A compact UTC stamp for file names: `20261126T053315Z`.
    public static func stamp(_ milliseconds: Int64) -> String {
        let text = EventTime.rfc3339(milliseconds: milliseconds)  // 2026-11-26T05:33:15.123Z
        return String(text.prefix(19).filter { $0 != "-" && $0 != ":" }) + "Z"
    }
}
