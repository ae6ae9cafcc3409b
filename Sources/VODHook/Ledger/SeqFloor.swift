import SystemPackage
import VODHookCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `<data-dir>/ledger.seq`: a seq no line may go back below. Written before each rotation (the
/// last seq of the rotated file, so seq never goes back even when rotated files are archived out
/// of the data directory) and after a failed batch (whose seqs are retired, never handed out again).
enum SeqFloor {
    static let name = "ledger.seq"

    /// The floor, or 0 when there is no file. A file that cannot be read or does not hold a number
    /// stops start-up: taking it as 0 could hand out a seq again.
    static func read(dataDir: String) throws(DataDirectoryError) -> UInt64 {
        let path = dataDir + "/" + name
        let fd: FileDescriptor
        do {
            fd = try FileIO.open(path, .readOnly)
        } catch {
            if error.errno == ENOENT { return 0 }
            throw .corrupt("cannot read the seq floor: \(error)")
        }
        defer { FileIO.close(fd) }
        let bytes: [UInt8]
        do {
            bytes = try FileIO.readAt(fd, count: 32, offset: 0, path: path)
        } catch {
            throw .corrupt("cannot read the seq floor: \(error)")
        }
        guard let seq = UInt64(String(decoding: bytes, as: UTF8.self).trimmingWhitespace()) else {
            throw .corrupt(
                "\(path) does not hold a seq number: write the highest seq ever recorded into it "
                    + "(remove it only if no rotated ledger file was ever archived away)")
        }
        return seq
    }

    /// Replaces the floor durably: a temporary file, synced, renamed over it, and the directory synced.
    static func write(_ seq: UInt64, dataDir: String, fileSystem: any LedgerFileSystem) throws(SystemError) {
        let path = dataDir + "/" + name
        let temporary = path + ".tmp"
        let fd = try fileSystem.open(temporary, .writeOnly, options: [.create, .truncate], permissions: FileIO.filePermissions)
        defer { FileIO.close(fd) }
        do {
            try FileIO.writeAll(fd, Array("\(seq)\n".utf8))
            try FileIO.dataSync(fd)
        } catch {
            throw error.on(temporary)
        }
        try fileSystem.rename(temporary, to: path)
        try fileSystem.syncDirectory(dataDir)
    }
}

extension LedgerWriteError {
    /// The same failure as a ``SystemError`` on `path`, keeping the real errno (ENOSPC, EIO, …):
    /// it is what the operator must act on.
    func on(_ path: String) -> SystemError {
        if case .io(let operation, let code) = self { return SystemError(operation, path: path, errno: code) }
        return SystemError("write", path: path, errno: EIO)
    }
}
