/// How far each handler is settled: every event line below its mark has a final outcome for it
/// (ok, or dead). The dispatcher keeps these beside the checkpoints so that a start reads the
/// ledger from the lowest mark instead of from its first line.
///
/// Only a shortcut: a missing or unreadable file, or a handler whose `match` changed since (its
/// fingerprint differs), starts that handler from seq 1 again, as if there were no marks. A mark
/// older than the newest possible is safe too: the lines after it are read and settle the same.
public struct DispatchMarks: Codable, Sendable, Equatable {
    public struct Mark: Codable, Sendable, Equatable {
        /// ``DispatchMarks/fingerprint(_:)`` of the handler's `match` when the mark was taken.
        public var match: String
        /// Every event with a lower seq is settled for the handler.
        public var settledBelow: UInt64

        public init(match: String, settledBelow: UInt64) {
            self.match = match
            self.settledBelow = settledBelow
        }

        enum CodingKeys: String, CodingKey {
            case match
            case settledBelow = "settled_below"
        }
    }

    public static let currentVersion = 1
    public var version = DispatchMarks.currentVersion
    /// By handler name.
    public var handlers: [String: Mark]

    public init(handlers: [String: Mark] = [:]) {
        self.handlers = handlers
    }

    /// The seq to read from so that every handler in `routes` sees each event it may still owe.
    public func start(for routes: [DispatchBook.Route]) -> UInt64 {
        guard version == Self.currentVersion else { return 1 }
        return routes.map { route in
            guard let mark = handlers[route.name], mark.match == Self.fingerprint(route.match) else { return 1 }
            return max(1, mark.settledBelow)
        }.min() ?? 1
    }

    /// `match` as text that is the same in every process (sets sorted): a changed `match` may
    /// take events below the old mark that the handler never saw.
    public static func fingerprint(_ match: HandlerMatch) -> String {
        func list(_ set: Set<String>?) -> String { set.map { $0.sorted().joined(separator: ",") } ?? "*" }
        let correlated = match.correlated.map { $0 ? "yes" : "no" } ?? "*"
        return "types=\(list(match.eventTypes));statuses=\(list(match.statuses));ai=\(list(match.aiTypes))"
            + ";media=\(match.mediaPrefix ?? "*");correlated=\(correlated)"
    }
}

extension DispatchBook {
    /// Each handler's mark, given that every line below `nextUnread` has been absorbed: its
    /// lowest open event, or where its overflow starts, or `nextUnread` when it owes nothing.
    public func marks(nextUnread: UInt64) -> DispatchMarks {
        var marks = DispatchMarks()
        for route in routes {
            let lowest = [lowestOpen(handler: route.name), overflow(handler: route.name)?.eventSeq, nextUnread].compactMap { $0 }
            marks.handlers[route.name] = .init(
                match: DispatchMarks.fingerprint(route.match), settledBelow: lowest.min() ?? nextUnread)
        }
        return marks
    }
}
