import Metrics
import Synchronization

/// `vodhook_callbacks_accepted_total{event_type,duplicate}`: each callback answered 200, by its
/// `EventType`, and whether it repeated one already recorded (nothing written).
///
/// An event type comes from the body, so the label values are bounded: a name of at most 64
/// letters, digits or underscores, and at most ``maxTypes`` distinct ones; anything else counts
/// as `other`, so a sender with a key cannot grow the scrape without limit.
final class CallbackMetrics: Sendable {
    static let maxTypes = 32
    private struct Pair {
        let recorded: Counter
        let duplicate: Counter
    }
    private let byType = Mutex<[String: Pair]>([:])

    func accepted(eventType: String, duplicate: Bool) {
        let pair = byType.withLock { table in
            if let pair = table[eventType] { return pair }
            let label = table.count < Self.maxTypes && Self.isPlainName(eventType) ? eventType : "other"
            if let pair = table[label] { return pair }
            let pair = Pair(
                recorded: Counter(
                    label: "vodhook_callbacks_accepted_total", dimensions: [("event_type", label), ("duplicate", "false")]),
                duplicate: Counter(
                    label: "vodhook_callbacks_accepted_total", dimensions: [("event_type", label), ("duplicate", "true")]))
            table[label] = pair
            return pair
        }
        (duplicate ? pair.duplicate : pair.recorded).increment()
    }

    private static func isPlainName(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 64
            && text.utf8.allSatisfy {
                ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F
            }
    }
}
