import Foundation
import Testing

@testable import VODHookCore

@Suite("The overview's SVG chart")
struct CallbackChartTests {
    static func series(_ counts: [(Int, Int)], firstMinute: Int64 = 29_000_000) -> CallbackSeries {
        CallbackSeries(
            points: counts.enumerated().map {
                .init(minute: firstMinute + Int64($0.offset), accepted: $0.element.0, refused: $0.element.1)
            },
            refusalsSince: firstMinute)
    }

    @Test("the scale rounds the highest bar up to 1, 2 or 5 × 10^n") func scale() {
        #expect([0, 1, 2, 3, 6, 10, 11, 40, 51, 999].map(CallbackChart.scale(for:)) == [1, 1, 2, 5, 10, 10, 20, 50, 100, 1000])
    }

    @Test("one stacked bar per minute with callbacks, heights in proportion, hour ticks labelled in UTC")
    func bars() throws {
        // 29_000_000 min = 2025-02-19T21:20Z; minute 40 of the series is 22:00.
        var counts = Array(repeating: (0, 0), count: 60)
        counts[0] = (10, 0)
        counts[1] = (5, 5)
        counts[2] = (0, 2)
        let svg = CallbackChart().svg(Self.series(counts))
        #expect(svg.hasPrefix("<svg ") && svg.hasSuffix("</svg>"))
        #expect(svg.components(separatedBy: "<rect class=\"accepted\"").count - 1 == 2)
        #expect(svg.components(separatedBy: "<rect class=\"refused\"").count - 1 == 2)
        #expect(svg.contains(">22:00</text>"))
        #expect(svg.contains(">10</text>"), "the top of the scale: \(svg.prefix(600))")
        // The chart is 220 high with 10 above and 22 below: 188 for the scale of 10.
        #expect(svg.contains(#"<rect class="accepted" x="44" y="10" width="#), "10 of 10 fills the plot")
        #expect(svg.contains(#"height="94"><title>21:21 UTC: 5 accepted</title>"#))
        #expect(svg.contains("<title>21:22 UTC: 2 refused</title>"))
    }

    @Test("an empty series draws the frame and no bar") func empty() {
        let svg = CallbackChart().svg(Self.series(Array(repeating: (0, 0), count: 180)))
        #expect(svg.contains("<svg ") && !svg.contains("<rect"))
    }
}
