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
    }

    /// Per event, its handlers in the order the ledger first named them (an event has few).
    private var byEvent: [UInt64: [Outcome]] = [:]

    public init() {}

    /// Folds in one line, in ledger order; lines of other kinds change nothing.
    public mutating func absorb(_ entry: LedgerEntry) {
        guard let handler = entry.handler, let eventSeq = entry.eventSeq else { return }
        let state: State
        switch entry.kind {
        case .handled:
            guard let result = entry.result else { return }
            state = result == .ok ? .ok : .failed
        case .dead: state = .dead
        case .replay: state = .replayed
        case .event, .submitted, .givenUp, .other: return
        }
        var outcomes = byEvent[eventSeq, default: []]
        if !outcomes.contains(where: { $0.handler == handler }) {
            outcomes.append(Outcome(handler: handler, eventSeq: eventSeq, state: state, lastAt: entry.at))
        }
        let index = outcomes.firstIndex { $0.handler == handler } ?? outcomes.count - 1
        var outcome = outcomes[index]
        outcome.state = state
        outcome.lastAt = entry.at
        switch state {
        case .ok, .failed:
            outcome.runs += 1
            outcome.lastResult = entry.result
            outcome.lastReason = entry.reason
            // A stray failure after a death (a run that was already going) does not revive it.
            if state == .ok { outcome.death = nil } else if outcome.death != nil { outcome.state = .dead }
        case .dead:
            outcome.death = Death(attempts: entry.attempts ?? outcome.runs, reason: entry.reason, at: entry.at)
        case .replayed:
            outcome.replays += 1
            outcome.death = nil
        }
        outcomes[index] = outcome
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
