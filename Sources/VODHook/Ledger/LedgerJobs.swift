public import VODHookCore

extension JobBook {
    /// Reads every ledger file of `dataDir` (read-only, safe while the server writes). Lines that
    /// cannot be read are counted, not fatal: `vodhook ledger verify` names them.
    public static func read(dataDir: String) throws -> (book: JobBook, unreadable: Int) {
        try read(LedgerReader(dataDir: dataDir))
    }

    /// The same through a given reader.
    public static func read(_ reader: LedgerReader) throws -> (book: JobBook, unreadable: Int) {
        var book = JobBook()
        var unreadable = 0
        try reader.forEachLine { line in
            guard line.terminated else { return }  // being written right now
            if let entry = try? LedgerLine.read(line.bytes) {
                book.absorb(entry)
            } else {
                unreadable += 1
            }
        }
        return (book, unreadable)
    }
}

extension JobBook {
    /// The book of `vodhook jobs --since`: the rows first recorded since `since`, from the files
    /// that can hold their lines (``JobWindow``): memory for the window's jobs, not history's.
    public static func read(dataDir: String, since: Int64) throws -> (book: JobBook, unreadable: Int) {
        let reader = LedgerReader(dataDir: dataDir)
        // Oldest first: the files before the first with a line inside the margin are passed over.
        var skipped: Set<LedgerFileName> = []
        var firstSeq: UInt64 = 0
        for file in try reader.files() {
            guard case .rotated(_, let last) = file, let at = try lastLineTime(dataDir: dataDir, file),
                at < since - JobWindow.margin
            else { break }
            skipped.insert(file)
            firstSeq = last + 1
        }
        var book = JobBook(window: JobWindow(since: since, firstSeq: firstSeq))
        var unreadable = 0
        let absorb: (LedgerReader.Line) -> Void = { line in
            guard line.terminated else { return }
            if let entry = try? LedgerLine.read(line.bytes) { book.absorb(entry) } else { unreadable += 1 }
        }
        try reader.readToLive(including: { !skipped.contains($0) }, absorb)?.finish(absorb)
        return (book, unreadable)
    }

    /// When the last whole line of `file` was written; nil if it has none that reads.
    private static func lastLineTime(dataDir: String, _ file: LedgerFileName) throws -> Int64? {
        guard let open = try OpenLedgerFile(dataDir: dataDir, file: file), let last = try open.skipToEnd() else { return nil }
        return (try? LedgerLine.read(last[...]))?.at
    }
}
