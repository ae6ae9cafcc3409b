/// Names of the ledger's files in the data directory.
///
/// The live file is always `ledger.jsonl` (so `tail -F` follows it across rotations); a rotated
/// file is renamed to `ledger-<first seq>-<last seq>.jsonl`.
public enum LedgerFileName: Hashable, Sendable {
    case live
    case rotated(first: UInt64, last: UInt64)

    public static let liveName = "ledger.jsonl"

    public init?(_ name: String) {
        if name == Self.liveName {
            self = .live
            return
        }
        guard name.hasPrefix("ledger-"), name.hasSuffix(".jsonl") else { return nil }
        let middle = name.dropFirst("ledger-".count).dropLast(".jsonl".count)
        let parts = middle.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let first = UInt64(parts[0]), let last = UInt64(parts[1]), first <= last else {
            return nil
        }
        self = .rotated(first: first, last: last)
    }

    public var name: String {
        switch self {
        case .live: Self.liveName
        case .rotated(let first, let last): "ledger-\(first)-\(last).jsonl"
        }
    }

    /// The order readers must read the files in: rotated by first seq, the live file last.
    public static func readingOrder(_ names: [String]) -> [LedgerFileName] {
        let parsed = names.compactMap(LedgerFileName.init)
        let rotated = parsed.compactMap { name -> (UInt64, LedgerFileName)? in
            if case .rotated(let first, _) = name { return (first, name) }
            return nil
        }.sorted { $0.0 < $1.0 }.map(\.1)
        return rotated + (parsed.contains(.live) ? [.live] : [])
    }
}

extension LedgerFileName {
    /// Whether a line of this seq can be in this file: a rotated file holds its range; the live
    /// file holds whatever no rotated file does.
    public func mayHold(_ seq: UInt64) -> Bool {
        switch self {
        case .live: true
        case .rotated(let first, let last): (first...last).contains(seq)
        }
    }

    /// The file that holds `seq`, of the files present (in reading order): the rotated one whose
    /// range holds it, else the live file.
    public static func holding(_ seq: UInt64, among files: [LedgerFileName]) -> LedgerFileName? {
        files.first { if case .rotated = $0 { $0.mayHold(seq) } else { false } } ?? (files.contains(.live) ? .live : nil)
    }
}
