public import VODHookCore

extension LedgerState {
    /// The jobs still pending or unknown when no server runs: the newest valid checkpoint's and
    /// what the lines after it change, so the rotated files it covers are not read. Nil without a
    /// usable checkpoint: the caller reads every file.
    public static func openJobs(dataDir: String) -> (rows: [JobBook.Row], unreadable: Int)? {
        guard let (_, checkpoint) = CheckpointStore.newest(dataDir: dataDir).checkpoint,
            let state = try? scan(after: checkpoint, LedgerReader(dataDir: dataDir))
        else { return nil }
        return (state.open.all, state.corruptLines.count)
    }
}
