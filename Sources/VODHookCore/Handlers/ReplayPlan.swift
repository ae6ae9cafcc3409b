/// The `replay` lines `vodhook replay` writes for a selection, and what it left out and why.
public struct ReplayPlan: Sendable {
    /// One (handler, event) to run again.
    public struct Item: Sendable, Equatable {
        public var handler: String
        public var event: LedgerEntry
        /// What the ledger says of the pair so far; nil if the handler never ran on it.
        public var previous: HandlerOutcomes.Outcome?

        public var record: ReplayRecord { ReplayRecord(handler: handler, eventSeq: event.seq, jobId: event.jobId) }
    }

    /// In ledger order of their events, handlers in config order (else by name) under each.
    public private(set) var items: [Item] = []
    /// Dead letters of handlers the config given does not have: serve would ignore their replay.
    public private(set) var notConfigured = 0
    /// Dead letters whose event line is not in the ledger files (archived): nothing to run on.
    public private(set) var eventMissing = 0
    /// Without a config, chosen events the handler never ran on: whether it takes them is the
    /// config's to say (and serve runs a configured handler on every event it takes anyway).
    public private(set) var neverRan = 0

    /// - Parameters:
    ///   - events: the event lines chosen (``ReplaySelection/selects(event:)``), and, for
    ///     `--dead`, those of the dead letters; by seq.
    ///   - handlers: the config's handlers, or nil when replay was not given one: then a pair is
    ///     replayable if the ledger shows the handler ran on the event.
    public init(selection: ReplaySelection, events: [UInt64: LedgerEntry], outcomes: HandlerOutcomes, handlers: [HandlerSpec]?) {
        let order = handlers.map { Dictionary($0.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first }) }
        if selection.dead {
            for letter in outcomes.deadLetters(handler: selection.handler) {
                guard let event = events[letter.eventSeq] else {
                    if !selection.choosesEvents { eventMissing += 1 }
                    continue
                }
                guard selection.selects(event: event) else { continue }
                guard order == nil || order?[letter.handler] != nil else {
                    notConfigured += 1
                    continue
                }
                items.append(Item(handler: letter.handler, event: event, previous: letter))
            }
        } else {
            for event in events.values where selection.selects(event: event) {
                if let handlers {
                    for handler in handlers
                    where handler.match.matches(event) && (selection.handler ?? handler.name) == handler.name {
                        items.append(
                            Item(
                                handler: handler.name, event: event,
                                previous: outcomes.outcome(handler: handler.name, eventSeq: event.seq)))
                    }
                } else if let name = selection.handler {
                    guard let previous = outcomes.outcome(handler: name, eventSeq: event.seq) else {
                        neverRan += 1
                        continue
                    }
                    items.append(Item(handler: name, event: event, previous: previous))
                }
            }
        }
        items.sort { ($0.event.seq, order?[$0.handler] ?? 0, $0.handler) < ($1.event.seq, order?[$1.handler] ?? 0, $1.handler) }
    }
}
