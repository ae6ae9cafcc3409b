public import VODHookCore

extension LedgerReader {
    /// Line `seq` (without its newline), read from the one file that can hold it: the rotated
    /// file whose name covers it, else the live file. Nil if no file has it (archived away).
    /// For rare look-ups (a failed job's `submitted` line), not for scans.
    public func line(seq: UInt64) throws -> [UInt8]? {
        // A rotation between listing and reading moves the live file's lines: list once more.
        for _ in 0..<2 {
            let candidates = try files().filter { file in
                switch file {
                case .live: true
                case .rotated(let first, let last): first <= seq && seq <= last
                }
            }
            for file in candidates {
                if let found = try find(seq, in: file) { return found }
            }
        }
        return nil
    }

    private struct Found: Error {
        let bytes: [UInt8]
    }

    private func find(_ seq: UInt64, in file: LedgerFileName) throws -> [UInt8]? {
        do {
            try forEachLine(in: file) { line in
                if line.terminated, LedgerLine.leadingSeq(line.bytes) == seq { throw Found(bytes: Array(line.bytes)) }
            }
        } catch let found as Found {
            return found.bytes
        }
        return nil
    }

    /// The `submitted` line `seq` as its record (config and user data included); nil if line
    /// `seq` is not found or is not a `submitted` line.
    public func submission(seq: UInt64) throws -> SubmissionRecord? {
        guard let bytes = try line(seq: seq), let entry = try? LedgerLine.read(bytes[...]), entry.kind == .submitted else {
            return nil
        }
        return try LedgerLine.submission(bytes)
    }
}
