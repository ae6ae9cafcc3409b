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

    /// The retry identity, for records that must be written once only.
    public var dedupKey: DedupKey? {
        switch self {
        case .event(let record): record.dedupKey
        case .submitted, .handled, .dead: nil
        }
    }
}
