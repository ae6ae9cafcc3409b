/// The overview's chart of callbacks per minute as inline SVG: one stacked bar a minute,
/// accepted below, refused above, a scale on the left and the hours (UTC) below. Built from
/// numbers and fixed words only, so the markup carries no text from a request or the ledger.
public struct CallbackChart: Sendable {
    public var width = 960
    public var height = 220
    /// Room for the scale on the left and the hours below.
    let left = 44
    let bottom = 22
    let top = 10

    public init() {}

    /// The highest bar, rounded up to a figure that reads well on the scale (1, 2, 5 × 10^n).
    public static func scale(for highest: Int) -> Int {
        var step = 1
        while true {
            for factor in [1, 2, 5] where step * factor >= highest { return step * factor }
            step *= 10
        }
    }

    public func svg(_ series: CallbackSeries) -> String {
        let points = series.points
        let plotWidth = Double(width - left - 4)
        let plotHeight = Double(height - top - bottom)
        let highest = Self.scale(for: points.map { $0.accepted + $0.refused }.max() ?? 0)
        let slot = points.isEmpty ? plotWidth : plotWidth / Double(points.count)
        let bar = max(1, slot * 0.8)
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(width) \(height)\""
            + " width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-label=\"callbacks per minute\">"
            + "<title>Callbacks per minute: accepted and refused</title>"
        let baseline = Double(top) + plotHeight
        // The scale: zero, half and the top.
        for fraction in [0.0, 0.5, 1.0] {
            let y = baseline - plotHeight * fraction
            let value = Int((Double(highest) * fraction).rounded())
            svg += "<line class=\"grid\" x1=\"\(left)\" y1=\"\(Self.format(y))\" x2=\"\(width - 4)\" y2=\"\(Self.format(y))\"/>"
            svg += "<text class=\"axis\" x=\"\(left - 6)\" y=\"\(Self.format(y + 4))\" text-anchor=\"end\">\(value)</text>"
        }
        for (index, point) in points.enumerated() {
            let x = Double(left) + slot * Double(index)
            if point.minute % 60 == 0 {
                let hour = ((point.minute / 60) % 24 + 24) % 24
                svg +=
                    "<line class=\"tick\" x1=\"\(Self.format(x))\" y1=\"\(top)\" x2=\"\(Self.format(x))\" y2=\"\(Self.format(baseline + 4))\"/>"
                svg +=
                    "<text class=\"axis\" x=\"\(Self.format(x))\" y=\"\(height - 6)\" text-anchor=\"middle\">"
                    + (hour < 10 ? "0" : "") + "\(hour):00</text>"
            }
            let accepted = plotHeight * Double(point.accepted) / Double(highest)
            let refused = plotHeight * Double(point.refused) / Double(highest)
            if point.accepted > 0 {
                svg += rect("accepted", x: x, y: baseline - accepted, width: bar, height: accepted, point.accepted, point.minute)
            }
            if point.refused > 0 {
                svg += rect(
                    "refused", x: x, y: baseline - accepted - refused, width: bar, height: refused, point.refused, point.minute)
            }
        }
        return svg + "</svg>"
    }

    private func rect(_ kind: String, x: Double, y: Double, width: Double, height: Double, _ count: Int, _ minute: Int64)
        -> String
    {
        let time = String(EventTime.rfc3339(milliseconds: minute * 60_000).dropFirst(11).prefix(5))
        return "<rect class=\"\(kind)\" x=\"\(Self.format(x))\" y=\"\(Self.format(y))\" width=\"\(Self.format(width))\""
            + " height=\"\(Self.format(max(height, 1)))\"><title>\(time) UTC: \(count) \(kind)</title></rect>"
    }

    /// One decimal: short markup, and the same text on every platform.
    static func format(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(abs(tenths % 10))"
    }
}
