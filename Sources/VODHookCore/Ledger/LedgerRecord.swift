/// Something to append to the ledger. The writer adds `seq` and `at` in file order.
public enum LedgerRecord: Sendable {
    /// A VOD event (from a callback, or learnt by polling).
    case event(EventRecord)
    /// A job vodhook submitted (or tried to).
    case submitted(SubmissionRecord)
    /// A handler's run on an event.
    case handled(HandledRecord)
    /// A handler gave an event up.
    case dead(DeadRecord)
    /// A handler is to run on an event again.
    case replay(ReplayRecord)
    /// A `resubmit` handler stopped a chain at its limit.
    case givenUp(GivenUpRecord)

    /// The retry identity, for records that must be written once only.
    public var dedupKey: DedupKey? {
        switch self {
        case .event(let record): record.dedupKey
        case .submitted, .handled, .dead, .replay, .givenUp: nil
        }
    }

    /// What dedup compares, for records that must be written once only.
    public var identity: EventIdentity? {
        switch self {
        case .event(let record): record.identity
        case .submitted, .handled, .dead, .replay, .givenUp: nil
        }
    }

    /// For an event: the seq of the line recorded first under its key, when this body differs.
    public var duplicateOf: UInt64? {
        switch self {
        case .event(let record): record.duplicateOf
        case .submitted, .handled, .dead, .replay, .givenUp: nil
        }
    }

    /// The same record flagged as another body of line `seq`'s key.
    public func flagged(duplicateOf seq: UInt64) -> LedgerRecord {
        guard case .event(var record) = self else { return self }
        record.duplicateOf = seq
        return .event(record)
    }
}
