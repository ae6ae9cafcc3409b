/// Each handler's history on each event, folded from the `handled`, `dead` and `replay` lines:
/// what `vodhook job` shows under an event, what `vodhook dead` lists and `vodhook replay` picks.
///
/// Unlike ``DispatchBook`` it keeps every pair the ledger names, configured or not: it reports
/// what happened, whatever the config says now.
public struct HandlerOutcomes: Sendable {
    /// Where a (handler, event) pair stands after its last line.
    public enum State: String, Sendable, Equatable {
        /// The last run succeeded.
        case ok
        /// The last run failed; the dispatcher tries again.
        case failed
        /// Given up: a dead letter, until a replay.
        case dead
        /// A replay was asked for and no run has ended since.
        case replayed

        /// Where a `handled`, `dead` or `replay` line puts its pair; nil for other lines.
        public init?(_ entry: LedgerEntry) {
            switch entry.kind {
            case .handled:
                guard let result = entry.result else { return nil }
                self = result == .ok ? .ok : .failed
            case .dead: self = .dead
            case .replay: self = .replayed
            case .event, .submitted, .givenUp, .other: return nil
            }
        }
    }

    /// The `dead` line that made a pair a dead letter.
    public struct Death: Sendable, Equatable {
        public var attempts: Int
        public var reason: String?
        /// When it was written (Unix ms).
        public var at: Int64
    }

    public struct Outcome: Sendable, Equatable {
        public var handler: String
        public var eventSeq: UInt64
        public var state: State
        /// `handled` lines, across replays.
        public var runs = 0
        public var lastResult: HandledRecord.Result?
        public var lastReason: String?
        /// When the pair's last line was written (Unix ms).
        public var lastAt: Int64
        /// Set while the pair is a dead letter: a later `ok` or `replay` clears it.
        public var death: Death?
        public var replays = 0

        /// Folds in one of the pair's lines; `state` is ``State/init(_:)`` of it.
        public mutating func apply(_ entry: LedgerEntry, _ state: State) {
            self.state = state
            lastAt = entry.at
            switch state {
            case .ok, .failed:
                runs += 1
                lastResult = entry.result
                lastReason = entry.reason
                // A stray failure after a death (a run that was already going) does not revive it.
                if state == .ok { death = nil } else if death != nil { self.state = .dead }
            case .dead:
                death = Death(attempts: entry.attempts ?? runs, reason: entry.reason, at: entry.at)
            case .replayed:
                replays += 1
                death = nil
            }
        }
    }

    /// Per event, its handlers in the order the ledger first named them (an event has few).
    private var byEvent: [UInt64: [Outcome]] = [:]

    public init() {}

    /// Folds in one line, in ledger order; lines of other kinds change nothing.
    public mutating func absorb(_ entry: LedgerEntry) {
        guard let handler = entry.handler, let eventSeq = entry.eventSeq, let state = State(entry) else { return }
        var outcomes = byEvent[eventSeq, default: []]
        if let index = outcomes.firstIndex(where: { $0.handler == handler }) {
            outcomes[index].apply(entry, state)
        } else {
            var outcome = Outcome(handler: handler, eventSeq: eventSeq, state: state, lastAt: entry.at)
            outcome.apply(entry, state)
            outcomes.append(outcome)
        }
        byEvent[eventSeq] = outcomes
    }

    /// The handlers' outcomes on one event.
    public func outcomes(eventSeq: UInt64) -> [Outcome] { byEvent[eventSeq] ?? [] }

    /// One pair's outcome, if the ledger names it.
    public func outcome(handler: String, eventSeq: UInt64) -> Outcome? {
        byEvent[eventSeq]?.first { $0.handler == handler }
    }

    /// The dead letters still dead, by event seq then handler; of one handler when `handler` is given.
    public func deadLetters(handler: String? = nil) -> [Outcome] {
        byEvent.values.joined()
            .filter { $0.death != nil && (handler == nil || $0.handler == handler) }
            .sorted { ($0.eventSeq, $0.handler) < ($1.eventSeq, $1.handler) }
    }

    /// Every handler the ledger names.
    public var handlerNames: Set<String> { Set(byEvent.values.joined().map(\.handler)) }
}
