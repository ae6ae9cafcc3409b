/// Something to append to the ledger. The writer adds `seq` and `at` in file order.
public enum LedgerRecord: Sendable {
    case event(EventRecord)

    /// The retry identity, for records that must be written once only.
    public var dedupKey: DedupKey? {
        switch self {
        case .event(let record): record.dedupKey
        }
    }
}
