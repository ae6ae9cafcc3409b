import VODHookCore

/// Finds the lines carrying given ``JobIndexKey``s in every ledger file, through each file's
/// sidecar and a scan of what no sidecar covers (the live file's newest lines): what
/// `vodhook job` and the dashboard's job view read instead of every line. One finder is one
/// look at the files: lines written after it opened the live file are not seen.
final class JobLineFinder {
    /// The live file's lines past its sidecar are written into one when there are this many
    /// bytes of them (the rotated files' are always written).
    static let liveTailToPersist: Int64 = 1 << 20

    private var files: [IndexedLedgerFile] = []

    /// Writes the sidecars it had to build where it can (a query may run where it cannot write).
    init(dataDir: String, liveTailToPersist: Int64 = JobLineFinder.liveTailToPersist) throws {
        // The live file first, then the listing: a rotation between the two shows the live file
        // under its rotated name too (told by its identity), and then it is read once, as that.
        let live = try OpenLedgerFile(dataDir: dataDir, file: .live)
        let reader = LedgerReader(dataDir: dataDir)
        for name in try reader.files() {
            guard case .rotated = name, let ledger = try OpenLedgerFile(dataDir: dataDir, file: name) else { continue }
            let file = try IndexedLedgerFile(dataDir: dataDir, name: name, ledger: ledger)
            if file.unindexed(atLeast: 1) { try? file.persist() }
            files.append(file)
            if let live, live.identity == ledger.identity { return }
        }
        if let live {
            let file = try IndexedLedgerFile(dataDir: dataDir, name: .live, ledger: live)
            if file.unindexed(atLeast: liveTailToPersist) { try? file.persist() }
            files.append(file)
        }
    }

    /// The lines carrying any of `keys`, in seq order, each once.
    func lines(_ keys: Set<JobIndexKey>) throws -> [JobHistory.Line] {
        guard !keys.isEmpty else { return [] }
        var seen: Set<UInt64> = []
        return try files.flatMap { try $0.lines(keys) }.filter { seen.insert($0.entry.seq).inserted }
            .sorted { $0.entry.seq < $1.entry.seq }
    }
}
