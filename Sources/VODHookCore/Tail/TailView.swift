/// What `vodhook tail` shows of the lines it follows: which pass the filters, and how each reads.
/// Remembers the events it showed (the last ``memory`` of them) so that their handler lines are
/// set under them; an older event's handler lines stand on their own, naming it by seq.
public struct TailView: Sendable {
    public let filter: TailFilter
    public let formatter: TailFormatter
    public let memory: Int
    private var shown: Set<UInt64> = []
    private var order: [UInt64] = []
    private var oldest = 0

    public init(filter: TailFilter, colour: Bool, memory: Int = 10_000) {
        self.filter = filter
        formatter = TailFormatter(colour: colour)
        self.memory = max(1, memory)
    }

    /// Whether `entry` is shown; an event shown is remembered.
    public mutating func admit(_ entry: LedgerEntry) -> Bool {
        guard filter.admits(entry, eventShown: wasShown(entry.eventSeq)) else { return false }
        if entry.kind == .event { remember(entry.seq) }
        return true
    }

    /// Whether a line that could not be read is shown.
    public var admitsUnreadable: Bool { filter.admitsUnreadable }

    /// The text of an admitted entry, without newline.
    public func text(_ entry: LedgerEntry) -> String {
        formatter.line(entry, underItsEvent: wasShown(entry.eventSeq))
    }

    func wasShown(_ seq: UInt64?) -> Bool { seq.map(shown.contains) ?? false }

    /// A ring of the last `memory` seqs, so a tail left running for weeks stays small.
    private mutating func remember(_ seq: UInt64) {
        if order.count < memory {
            order.append(seq)
        } else {
            shown.remove(order[oldest])
            order[oldest] = seq
            oldest = (oldest + 1) % memory
        }
        shown.insert(seq)
    }
}
