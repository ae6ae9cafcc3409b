/// ``OpenJobs``' rows by their first seq, in ledger order, in two dense arrays (the seqs, and
/// the rows with a hole where one left) instead of a dictionary: no buckets kept free for rows
/// of a few hundred bytes, and a listing in ledger order with no sort.
///
/// A new row's first seq is its own line's, later than any held (an insert elsewhere is
/// allowed, and costs a move). Holes are squeezed out once they outnumber the rows.
struct OpenRows: Sendable, Equatable {
    private var seqs: [UInt64] = []
    private var slots: [JobBook.Row?] = []
    private(set) var count = 0

    init() {}

    /// Rows in ledger order, as a checkpoint lists them.
    init(ordered rows: [JobBook.Row]) {
        seqs = rows.map(\.firstSeq)
        slots = rows.map { $0 }
        count = rows.count
    }

    private func position(_ first: UInt64) -> (index: Int, found: Bool) {
        var low = 0
        var high = seqs.count
        while low < high {
            let middle = (low + high) / 2
            if seqs[middle] < first { low = middle + 1 } else { high = middle }
        }
        return (low, low < seqs.count && seqs[low] == first)
    }

    subscript(first: UInt64) -> JobBook.Row? {
        get {
            let (index, found) = position(first)
            return found ? slots[index] : nil
        }
        // In place: `rows[first]?.record(event:)` on every event line searches once and copies no row.
        _modify {
            let (index, found) = position(first)
            if found {
                let held = slots[index] != nil
                yield &slots[index]
                let holds = slots[index] != nil
                if held != holds {
                    count += holds ? 1 : -1
                    if !holds, slots.count - count > max(count, 1024) { squeeze() }
                }
            } else {
                var row: JobBook.Row?
                yield &row
                if let row {
                    seqs.insert(first, at: index)
                    slots.insert(row, at: index)
                    count += 1
                }
            }
        }
    }

    @discardableResult
    mutating func remove(_ first: UInt64) -> JobBook.Row? {
        let (index, found) = position(first)
        guard found, let row = slots[index] else { return nil }
        self[first] = nil
        return row
    }

    private mutating func squeeze() {
        var keptSeqs: [UInt64] = []
        var kept: [JobBook.Row?] = []
        keptSeqs.reserveCapacity(count)
        kept.reserveCapacity(count)
        for (seq, row) in zip(seqs, slots) where row != nil {
            keptSeqs.append(seq)
            kept.append(row)
        }
        seqs = keptSeqs
        slots = kept
    }

    /// The rows `include` keeps, in ledger order, in storage of their own.
    func listed(_ include: (JobBook.Row) -> Bool = { _ in true }) -> [JobBook.Row] {
        var out: [JobBook.Row] = []
        out.reserveCapacity(count)
        for case let row? in slots where include(row) { out.append(row) }
        return out
    }

    /// Every row in ledger order, without copying them out.
    var ordered: some Sequence<JobBook.Row> {
        slots.lazy.compactMap { $0 }
    }

    /// Whether no other value shares the arrays: a mutable view of a shared array is a fresh copy.
    mutating func isUnshared() -> Bool {
        func unique<T>(_ array: inout [T]) -> Bool {
            let before = array.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
            return before == array.withUnsafeMutableBufferPointer { UnsafeRawPointer($0.baseAddress) }
        }
        return unique(&seqs) && unique(&slots)
    }

    static func == (lhs: OpenRows, rhs: OpenRows) -> Bool {
        lhs.count == rhs.count && lhs.slots.lazy.compactMap { $0 }.elementsEqual(rhs.slots.lazy.compactMap { $0 })
    }
}
