/// Where a line starts: its file and byte offset. A line of the live file keeps its offset when
/// the file is rotated (a rename), so a position taken in `ledger.jsonl` still finds the line
/// under the rotated name whose seq range holds it.
public struct LedgerPosition: Sendable, Hashable {
    public var file: LedgerFileName
    public var offset: Int64

    public init(file: LedgerFileName, offset: Int64) {
        self.file = file
        self.offset = offset
    }
}
