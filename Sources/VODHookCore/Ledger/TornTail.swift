/// Finds the end of the last complete line of a ledger file.
///
/// A crash can leave the live file ending in part of a line (or in zeros the file system
/// allocated but never filled). Everything up to the last newline is kept; what follows is the
/// torn tail, which start-up moves aside before it appends again.
public enum TornTail {
    /// Given the last bytes of a file, `chunk`, which begins at file offset `chunkOffset`, the
    /// offset just past the last newline; `nil` when the chunk holds no newline and the caller
    /// must look further back (a chunk at offset 0 with no newline gives 0).
    public static func validLength(chunk: some BidirectionalCollection<UInt8>, chunkOffset: Int64) -> Int64? {
        var count: Int64 = Int64(chunk.count)
        for byte in chunk.reversed() {
            if byte == 0x0A { return chunkOffset + count }
            count -= 1
        }
        return chunkOffset == 0 ? 0 : nil
    }
}
