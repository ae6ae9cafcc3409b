#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import VODHookCore

/// `<data-dir>/ledger.seq`: the last seq of the newest rotated file, written before each rotation,
/// so seq never goes back even when rotated files are archived out of the data directory.
enum SeqFloor {
    static func read(dataDir: String) -> UInt64 {
        let path = dataDir + "/ledger.seq"
        guard let fd = try? FileIO.open(path, O_RDONLY) else { return 0 }
        defer { close(fd) }
        guard let bytes = try? FileIO.readAt(fd, count: 32, offset: 0, path: path) else { return 0 }
        return UInt64(String(decoding: bytes, as: UTF8.self).trimmingWhitespace()) ?? 0
    }

    static func write(_ seq: UInt64, dataDir: String) throws(SystemError) {
        let path = dataDir + "/ledger.seq"
        let temporary = path + ".tmp"
        let fd = try FileIO.open(temporary, O_WRONLY | O_CREAT | O_TRUNC, mode: 0o640)
        defer { close(fd) }
        do {
            try FileIO.writeAll(fd, Array("\(seq)\n".utf8))
            try FileIO.dataSync(fd)
        } catch {
            // Keep the real errno (ENOSPC, EIO, …): it is what the operator must act on.
            if case .io(let operation, let code) = error { throw SystemError(operation, path: temporary, errno: code) }
            throw SystemError("write", path: temporary, errno: EIO)
        }
        guard rename(temporary, path) == 0 else { throw SystemError("rename", path: temporary, errno: errno) }
    }
}
