/// The text of `vodhook submit`'s progress: a bar for a terminal, a plain line for a log.
public struct ProgressLine: Sendable, Equatable {
    public var done: Int
    public var total: Int
    public var failed: Int
    /// Seconds since the start.
    public var elapsed: Double

    public init(done: Int, total: Int, failed: Int, elapsed: Double) {
        self.done = done
        self.total = total
        self.failed = failed
        self.elapsed = elapsed
    }

    /// Items per second so far; nil before there is anything to divide.
    public var rate: Double? { elapsed > 0 && done > 0 ? Double(done) / elapsed : nil }

    /// Seconds left at the rate so far.
    public var eta: Double? { rate.map { Double(total - done) / $0 } }

    /// `[#########...........]  412/1000  41%  9.8/s  ETA 1m00s  2 failed`, `width` characters of bar.
    public func bar(width: Int = 30) -> String {
        let fraction = total > 0 ? Double(done) / Double(total) : 1
        let filled = min(width, Int(fraction * Double(width)))
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] " + figures
    }

    /// `412/1000 41% 9.8/s ETA 1m00s 2 failed`.
    public var figures: String {
        let percent = total > 0 ? done * 100 / total : 100
        var parts = ["\(done)/\(total)", "\(percent)%"]
        parts.append(rate.map { Self.format(rate: $0) } ?? "-/s")
        if let eta, done < total { parts.append("ETA " + Self.format(seconds: eta)) }
        if failed > 0 { parts.append("\(failed) failed") }
        return parts.joined(separator: "  ")
    }

    static func format(rate: Double) -> String {
        rate >= 100 ? "\(Int(rate.rounded()))/s" : "\(Double(Int(rate * 10)) / 10)/s"
    }

    /// `45s`, `3m07s`, `2h05m`.
    public static func format(seconds: Double) -> String {
        let total = Int(seconds.rounded())
        if total < 60 { return "\(total)s" }
        if total < 3600 { return "\(total / 60)m" + pad(total % 60) + "s" }
        return "\(total / 3600)h" + pad(total % 3600 / 60) + "m"
    }

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
