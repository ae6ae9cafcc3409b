import Foundation
import SystemPackage
public import VODHookCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reads the ledger's files in order, line by line, without taking the writer's lock: safe while
/// `vodhook serve` appends and rotates (a reader sees whole lines up to where it stops, and the
/// last line it sees may still be growing, which it reports as unterminated).
public struct LedgerReader: Sendable {
    public let dataDir: String
    /// Runs after each listing of the directory, with the listing's number (1 for the first):
    /// a seam for tests to rotate the files at an exact point of a read.
    private let listed: @Sendable (Int) -> Void

    public init(dataDir: String, listed: @escaping @Sendable (Int) -> Void = { _ in }) {
        self.dataDir = dataDir
        self.listed = listed
    }

    /// The ledger files present, in reading order (rotated by first seq, then `ledger.jsonl`).
    public func files() throws(SystemError) -> [LedgerFileName] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: dataDir)
        } catch {
            throw SystemError("list", path: dataDir, errno: FileIO.exists(dataDir) ? EACCES : ENOENT)
        }
        return LedgerFileName.readingOrder(names)
    }

    /// One line of a ledger file.
    public struct Line {
        public let file: LedgerFileName
        /// 1-based.
        public let number: Int
        /// The bytes without the newline.
        public let bytes: ArraySlice<UInt8>
        /// False for a last line with no newline yet (torn, or being written right now).
        public let terminated: Bool
        /// Where the line starts in its file (what the job index records).
        public var offset: Int64 = 0
    }

    /// How many rotations one read follows before giving up: each costs a listing and the new
    /// live file, so only a writer rotating without pause could exhaust it.
    static let maxRotationsFollowed = 1000

    /// Calls `body` for every line of every file, in seq order, each line once, as of one moment:
    /// a rotation while reading hides no file.
    ///
    /// A writer rotates by renaming `ledger.jsonl` to its rotated name, then starting a new one.
    /// So the live file is opened before the directory is listed (the listing then holds every
    /// file before it, or the open file itself under its new name), and listed again once it is
    /// read to its end: if it was renamed meanwhile, it is finished (its tail is read too) and
    /// the files after it are read the same way. A file is told apart by device and inode.
    public func forEachLine(_ body: (Line) throws -> Void) throws {
        try readToLive(including: { _ in true }, body)?.finish(body)
    }

    /// Reads as ``forEachLine(_:)`` does, the rotated files `including` accepts only, and leaves
    /// the live file open at its end (its last line, if unterminated, held back): nil when there
    /// is none. What a follower reads history and a rotation's files with.
    func readToLive(including: (LedgerFileName) -> Bool, _ body: (Line) throws -> Void) throws -> OpenLedgerFile? {
        var read: Set<String> = []
        var listings = 0
        func list() throws -> [(LedgerFileName, FileIdentity?)] {
            let names = try files()
            listings += 1
            listed(listings)
            return names.compactMap { name in
                guard case .rotated = name, !read.contains(name.name), including(name) else { return nil }
                return (name, FileIdentity(path: dataDir + "/" + name.name))
            }
        }
        for _ in 0...Self.maxRotationsFollowed {
            let live = try OpenLedgerFile(dataDir: dataDir, file: .live)
            var liveWasRotated = false
            for (name, identity) in try list() {
                read.insert(name.name)
                if let live, identity == live.identity {
                    // Rotated between its open and the listing: whole now, read under its new name.
                    liveWasRotated = true
                }
                try forEachLine(in: name, body)
            }
            guard let live, !liveWasRotated else {
                // No live file: none yet, or caught between a rotation's rename and the new file.
                if live == nil, try list().isEmpty { return nil }
                continue
            }
            try live.readToEnd(body)
            guard let renamed = try list().first(where: { $0.1 == live.identity })?.0 else { return live }
            // Rotated while being read: finish it (nothing is appended to it any more), then go on.
            read.insert(renamed.name)
            live.file = renamed
            try live.readToEnd(body)
            try live.finish(body)
        }
        throw SystemError(
            "read (the ledger rotated \(Self.maxRotationsFollowed) times while being read)",
            path: dataDir, errno: EAGAIN)
    }

    /// Calls `body` for every line of one file; a file that vanished (rotated away meanwhile) is skipped.
    public func forEachLine(in file: LedgerFileName, from offset: Int64 = 0, _ body: (Line) throws -> Void) throws {
        guard let open = try OpenLedgerFile(dataDir: dataDir, file: file, offset: offset) else { return }
        try open.readToEnd(body)
        try open.finish(body)
    }
}

/// A file's device and inode: the same file under any name.
struct FileIdentity: Equatable, Sendable {
    let device: UInt64
    let inode: UInt64

    init(_ info: Stat) {
        device = UInt64(info.deviceID.rawValue)
        inode = UInt64(info.inode.rawValue)
    }

    /// Opens `path` read-only: its descriptor and identity, or nil if it does not exist.
    static func open(_ path: String) throws(SystemError) -> (fd: FileDescriptor, identity: FileIdentity)? {
        let fd: FileDescriptor
        do {
            fd = try FileIO.open(path, .readOnly)
        } catch {
            if error.errno == ENOENT { return nil }
            throw error
        }
        do {
            return (fd, FileIdentity(try fd.stat()))
        } catch {
            FileIO.close(fd)
            throw SystemError("fstat", path: path, errno: error.rawValue)
        }
    }

    /// The identity of the file at `path`, or nil if there is none.
    init?(path: String) {
        guard let info = try? FilePath(path).stat() else { return nil }
        self.init(info)
    }
}

/// One ledger file open for reading, read in chunks into lines; a line split by the end of what
/// was read so far is carried until more arrives or ``finish(_:)`` says there is no more.
final class OpenLedgerFile {
    private let fd: FileDescriptor
    let identity: FileIdentity
    private let path: String
    /// The name its lines are reported under.
    var file: LedgerFileName
    private var carry: [UInt8] = []
    private var number = 0
    private var offset: Int64 = 0
    /// Where the next line (the carried bytes, if any) starts.
    private var lineStart: Int64 = 0

    /// Opens `file`; nil if it does not exist (rotated or archived away meanwhile).
    /// `offset` must be where a line starts (a checkpoint's resume point): reading begins there.
    init?(dataDir: String, file: LedgerFileName, offset: Int64 = 0) throws(SystemError) {
        let path = dataDir + "/" + file.name
        guard let (fd, identity) = try FileIdentity.open(path) else { return nil }
        self.fd = fd
        self.identity = identity
        self.path = path
        self.file = file
        self.offset = offset
        LedgerFileOpens.count(file)
    }

    deinit { FileIO.close(fd) }

    /// Every whole line up to the file's current end.
    func readToEnd(_ body: (LedgerReader.Line) throws -> Void) throws {
        let chunkSize = 1 << 20
        while true {
            let chunkStart = offset
            let chunk = try FileIO.readAt(fd, count: chunkSize, offset: offset, path: path)
            if chunk.isEmpty { return }
            offset += Int64(chunk.count)
            var start = chunk.startIndex
            while let newline = chunk[start...].firstIndex(of: 0x0A) {
                number += 1
                if carry.isEmpty {
                    try body(
                        LedgerReader.Line(
                            file: file, number: number, bytes: chunk[start..<newline], terminated: true, offset: lineStart))
                } else {
                    carry.append(contentsOf: chunk[start..<newline])
                    try body(
                        LedgerReader.Line(file: file, number: number, bytes: carry[...], terminated: true, offset: lineStart))
                    carry.removeAll(keepingCapacity: true)
                }
                start = newline + 1
                lineStart = chunkStart + Int64(start - chunk.startIndex)
            }
            carry.append(contentsOf: chunk[start...])
        }
    }

    /// Moves to the file's current end, so that only lines appended from now on are read; a
    /// last line still being written is kept for when its newline arrives. Line numbers are not
    /// counted over what is skipped. Returns the last whole line skipped, if any.
    func skipToEnd() throws -> [UInt8]? {
        let size = try currentSize()
        // Back from the end to the last newline, then to the one before it (the whole last line).
        var end = size
        var chunks: [[UInt8]] = []  // last first; joined once, a long last line costs no repeated copies
        var newlines: [Int64] = []
        while end > 0, newlines.count < 2 {
            let start = max(0, end - 65_536)
            let chunk = try FileIO.readAt(fd, count: Int(end - start), offset: start, path: path)
            chunks.append(chunk)
            for index in chunk.indices.reversed() where chunk[index] == 0x0A && newlines.count < 2 {
                newlines.append(start + Int64(index - chunk.startIndex))
            }
            end = start
        }
        let tailStart = end
        let tail = Array(chunks.reversed().joined())
        carry.removeAll()
        guard let lastNewline = newlines.first else {
            offset = 0  // no whole line yet: all of it is still to come
            lineStart = 0
            return nil
        }
        offset = lastNewline + 1
        lineStart = offset
        let lineStart = newlines.count > 1 ? newlines[1] + 1 : 0
        return Array(tail[Int(lineStart - tailStart)..<Int(lastNewline - tailStart)])
    }

    /// After the writer cut lines it could not make durable (a failed write, answered 503, is
    /// truncated away), the file is shorter than what was read: go back to its end, where the
    /// next line will start. True when it did.
    func rewindIfCut() throws -> Bool {
        let size = try currentSize()
        guard size < offset else { return false }
        offset = size
        lineStart = size
        carry.removeAll()
        return true
    }

    /// Up to `count` bytes at `position`, for reading single lines the job index points at.
    func bytes(count: Int, at position: Int64) throws(SystemError) -> [UInt8] {
        try FileIO.readAt(fd, count: count, offset: position, path: path)
    }

    /// Reads on from `position` (the start of a line), as if the bytes before it were read.
    func seek(to position: Int64) {
        offset = position
        lineStart = position
        carry.removeAll()
    }

    func currentSize() throws(SystemError) -> Int64 {
        do {
            return Int64(try fd.stat().size)
        } catch {
            throw SystemError("fstat", path: path, errno: error.rawValue)
        }
    }

    /// The last line if it has no newline (torn, or being written right now).
    func finish(_ body: (LedgerReader.Line) throws -> Void) throws {
        guard !carry.isEmpty else { return }
        try body(LedgerReader.Line(file: file, number: number + 1, bytes: carry[...], terminated: false, offset: lineStart))
        carry.removeAll()
    }
}
