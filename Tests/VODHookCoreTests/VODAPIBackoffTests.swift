import Testing
import VODHookCore

/// Full-jitter backoff: bounds, growth, cap and the attempt limit.
@Suite("VOD API backoff")
struct VODAPIBackoffTests {
    let backoff = Backoff(base: .milliseconds(200), cap: .seconds(5), maxAttempts: 8)

    @Test(
        "the ceiling doubles from 200 ms and stops at 5 s",
        arguments: [
            (1, 200), (2, 400), (3, 800), (4, 1600), (5, 3200), (6, 5000), (7, 5000), (100, 5000),
        ] as [(Int, Int64)])
    func ceiling(retry: Int, milliseconds: Int64) {
        #expect(backoff.ceilingMilliseconds(beforeRetry: retry) == milliseconds)
    }

    @Test("the delay is the random pick between zero and the ceiling") func jitter() {
        #expect(backoff.delay(afterAttempts: 3, random: { $0.upperBound }) == .milliseconds(800))
        #expect(backoff.delay(afterAttempts: 3, random: { $0.lowerBound }) == .zero)
        #expect(backoff.delay(afterAttempts: 3, random: { ($0.lowerBound + $0.upperBound) / 2 }) == .milliseconds(400))
    }

    @Test("a random source outside the range is clamped into it") func clamped() {
        #expect(backoff.delay(afterAttempts: 1, random: { _ in 1_000_000 }) == .milliseconds(200))
        #expect(backoff.delay(afterAttempts: 1, random: { _ in -5 }) == .zero)
    }

    @Test("no delay is offered once the attempts are spent") func limit() {
        let three = Backoff(maxAttempts: 3)
        #expect(three.delay(afterAttempts: 1, random: { $0.upperBound }) != nil)
        #expect(three.delay(afterAttempts: 2, random: { $0.upperBound }) != nil)
        #expect(three.delay(afterAttempts: 3, random: { $0.upperBound }) == nil)
        #expect(Backoff(maxAttempts: 0).maxAttempts == 1)
        #expect(Backoff(maxAttempts: 1).delay(afterAttempts: 1) == nil)
    }

    @Test("real randomness stays within the bounds") func realRandom() {
        for attempt in 1..<8 {
            for _ in 0..<50 {
                let delay = backoff.delay(afterAttempts: attempt) ?? .seconds(99)
                #expect(delay >= .zero && delay <= .milliseconds(backoff.ceilingMilliseconds(beforeRetry: attempt)))
            }
        }
    }
}
