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
