public import VODHookCore

extension WriteAction {
    /// Writes the event's file under ``dir`` and returns its path.
    ///
    /// - Parameters:
    ///   - entry: the event's ledger line (for the path's values).
    ///   - body: its `event` object as recorded.
    public func run(entry: LedgerEntry, body: [UInt8]) throws(SystemError) -> String {
        guard let relative = template.relativePath(for: entry) else {
            // EINVAL: cannot happen with a parsed template.
            throw SystemError("write", path: dir + "/" + template.description, errno: 22)
        }
        guard let bytes = ResultContent.bytes(of: body, content: content) else {
            throw SystemError("decode the event of seq \(entry.seq) for", path: dir + "/" + relative, errno: 22)
        }
        try ResultFile.write(bytes, dir: dir, relativePath: relative)
        return dir + "/" + relative
    }
}
