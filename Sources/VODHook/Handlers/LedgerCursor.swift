import SystemPackage
import VODHookCore

/// One ledger file read in whole lines from a byte offset, as far as a limit: the dispatcher
/// reads only what the writer has made durable, and resumes exactly where it stopped.
final class LedgerCursor {
    let file: LedgerFileName
    let identity: FileIdentity
    private let fd: FileDescriptor
    private let path: String
    /// Where the next unread line starts.
    private(set) var offset: Int64
    private var chunkSize: Int

    /// Opens `file` at `offset`; nil if it does not exist (rotated or archived away meanwhile).
    /// - Parameter chunkSize: bytes read at a time at first (grown for a longer line).
    init?(dataDir: String, file: LedgerFileName, offset: Int64 = 0, chunkSize: Int = 1 << 20) throws(SystemError) {
        let path = dataDir + "/" + file.name
        guard let (fd, identity) = try FileIdentity.open(path) else { return nil }
        self.fd = fd
        self.identity = identity
        self.path = path
        self.file = file
        self.offset = max(0, offset)
        self.chunkSize = max(64, chunkSize)
    }

    deinit { FileIO.close(fd) }

    /// Calls `body` with each whole line (without its newline) and the offset it starts at, up to
    /// `limit` (nil: the file's end). A last line without a newline is left unread. Returns false
    /// when `body` did: that line is where the next read starts.
    func read(upTo limit: Int64?, _ body: (ArraySlice<UInt8>, Int64) throws -> Bool) throws -> Bool {
        while true {
            let want = limit.map { min(Int64(chunkSize), $0 - offset) } ?? Int64(chunkSize)
            guard want > 0 else { return true }
            let chunk = try FileIO.readAt(fd, count: Int(want), offset: offset, path: path)
            var start = chunk.startIndex
            while let newline = chunk[start...].firstIndex(of: 0x0A) {
                guard try body(chunk[start..<newline], offset + Int64(start)) else {
                    offset += Int64(start)
                    return false
                }
                start = newline + 1
            }
            offset += Int64(start)
            if chunk.count < want { return true }  // the end: what is left is an unterminated line, if anything
            if start == chunk.startIndex { chunkSize *= 2 }  // a line longer than a chunk
        }
    }

    /// The first whole line at the cursor, without moving it.
    func peek() throws -> ArraySlice<UInt8>? {
        let start = offset
        var line: ArraySlice<UInt8>?
        _ = try read(upTo: nil) { bytes, _ in
            line = bytes
            return false
        }
        offset = start
        return line
    }
}
