import Foundation

/// The dead letters as of one line of the ledger (``through``), folded from the `handled`, `dead`
/// and `replay` lines, with the few fields of each letter's event that `vodhook dead` and the
/// dashboard show: what the dispatcher keeps in `checkpoints/dead-letters.json`, so that a reader
/// loads it and folds only the lines after ``through`` instead of the whole history.
///
/// Bounded by the letters: a pair is kept from its `dead` or `replay` line until a run of it ends
/// ok (a replayed pair is kept while it waits, so that its replays are still counted if it dies
/// again). Folding the whole ledger from an empty value and folding the lines after ``through``
/// into a decoded file give the same value: the file is only a shortcut.
public struct DeadLetters: Sendable, Equatable {
    /// The event fields a letter shows; all nil when the event's line is not in the ledger files.
    public struct Event: Sendable, Equatable, Codable {
        public var eventType: String?
        public var jobId: String?
        public var mediaId: String?
        public var status: String?

        public init(_ entry: LedgerEntry?) {
            eventType = entry?.eventType
            jobId = entry?.jobId
            mediaId = entry?.mediaId
            status = entry?.status
        }

        enum CodingKeys: String, CodingKey {
            case eventType = "event_type"
            case jobId = "job_id"
            case mediaId = "media_id"
            case status
        }
    }

    /// A kept pair: its outcome, and its event once looked up (nil: not looked up yet).
    public struct Pair: Sendable, Equatable {
        public var outcome: HandlerOutcomes.Outcome
        public var event: Event?
    }

    private struct Key: Hashable {
        let handler: String
        let eventSeq: UInt64
    }

    public static let currentVersion = 1
    /// Every line up to this seq is folded in (0: none).
    public private(set) var through: UInt64
    private var pairs: [Key: Pair] = [:]

    public init(through: UInt64 = 0) {
        self.through = through
    }

    /// Folds in one line, in ledger order; a line at or below ``through`` is folded in already.
    public mutating func absorb(_ entry: LedgerEntry) {
        guard entry.seq > through else { return }
        through = entry.seq
        guard let handler = entry.handler, let eventSeq = entry.eventSeq, let state = HandlerOutcomes.State(entry) else {
            return
        }
        let key = Key(handler: handler, eventSeq: eventSeq)
        var pair: Pair
        if let kept = pairs[key] {
            pair = kept
        } else {
            // A run of a pair not kept cannot make a letter: only a `dead` or `replay` line starts one.
            guard state == .dead || state == .replayed else { return }
            pair = Pair(outcome: .init(handler: handler, eventSeq: eventSeq, state: state, lastAt: entry.at))
        }
        pair.outcome.apply(entry, state)
        pairs[key] = pair.outcome.state == .ok ? nil : pair
    }

    /// The dead letters still dead, by event seq then handler; of one handler when `handler` is given.
    public func letters(handler: String? = nil) -> [Pair] {
        pairs.values.filter { $0.outcome.death != nil && (handler == nil || $0.outcome.handler == handler) }
            .sorted { ($0.outcome.eventSeq, $0.outcome.handler) < ($1.outcome.eventSeq, $1.outcome.handler) }
    }

    /// The seqs of the letters' events not looked up yet, ascending.
    public var unresolved: [UInt64] {
        Set(pairs.values.filter { $0.outcome.death != nil && $0.event == nil }.map(\.outcome.eventSeq)).sorted()
    }

    /// Sets the event of every pair of `eventSeq`.
    public mutating func resolve(_ eventSeq: UInt64, _ event: Event) {
        for (key, pair) in pairs where key.eventSeq == eventSeq && pair.event == nil {
            pairs[key]?.event = event
        }
    }

    /// Pairs kept (letters and replayed pairs waiting for a run).
    public var count: Int { pairs.count }
}

// MARK: - The file's codec

extension DeadLetters {
    /// One JSON object: `{"version":1,"through":N,"pairs":[...]}`, pairs by event seq then handler.
    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let sorted = pairs.values.sorted { ($0.outcome.eventSeq, $0.outcome.handler) < ($1.outcome.eventSeq, $1.outcome.handler) }
        var bytes = Array(
            try encoder.encode(File(version: Self.currentVersion, through: through, pairs: sorted.map(StoredPair.init))))
        bytes.append(0x0A)
        return bytes
    }

    /// The value of ``encoded()``'s bytes; nil when they do not read as one of this version
    /// (the reader then folds the whole ledger).
    public static func decode(_ bytes: some Collection<UInt8>) -> DeadLetters? {
        guard let file = try? JSONDecoder().decode(File.self, from: Data(bytes)), file.version == currentVersion else {
            return nil
        }
        var letters = DeadLetters(through: file.through)
        for stored in file.pairs {
            guard let pair = stored.pair, pair.outcome.eventSeq <= file.through else { return nil }
            letters.pairs[Key(handler: pair.outcome.handler, eventSeq: pair.outcome.eventSeq)] = pair
        }
        return letters
    }

    private struct File: Codable {
        var version: Int
        var through: UInt64
        var pairs: [StoredPair]
    }

    /// A pair as stored: the outcome's fields flat, snake_case.
    private struct StoredPair: Codable {
        var handler: String
        var eventSeq: UInt64
        var state: String
        var runs: Int
        var lastResult: String?
        var lastReason: String?
        var lastAt: Int64
        var deathAttempts: Int?
        var deathReason: String?
        var deathAt: Int64?
        var replays: Int
        var event: Event?

        enum CodingKeys: String, CodingKey {
            case handler, state, runs, replays, event
            case eventSeq = "event_seq"
            case lastResult = "last_result"
            case lastReason = "last_reason"
            case lastAt = "last_at"
            case deathAttempts = "death_attempts"
            case deathReason = "death_reason"
            case deathAt = "death_at"
        }

        init(_ pair: Pair) {
            let outcome = pair.outcome
            handler = outcome.handler
            eventSeq = outcome.eventSeq
            state = outcome.state.rawValue
            runs = outcome.runs
            lastResult = outcome.lastResult?.rawValue
            lastReason = outcome.lastReason
            lastAt = outcome.lastAt
            deathAttempts = outcome.death?.attempts
            deathReason = outcome.death?.reason
            deathAt = outcome.death?.at
            replays = outcome.replays
            event = pair.event
        }

        /// Nil when a field does not name a known value.
        var pair: Pair? {
            guard let state = HandlerOutcomes.State(rawValue: state) else { return nil }
            var outcome = HandlerOutcomes.Outcome(handler: handler, eventSeq: eventSeq, state: state, lastAt: lastAt)
            outcome.runs = runs
            if let lastResult {
                guard let result = HandledRecord.Result(rawValue: lastResult) else { return nil }
                outcome.lastResult = result
            }
            outcome.lastReason = lastReason
            if let deathAttempts, let deathAt {
                outcome.death = .init(attempts: deathAttempts, reason: deathReason, at: deathAt)
            }
            outcome.replays = replays
            return Pair(outcome: outcome, event: event)
        }
    }
}
