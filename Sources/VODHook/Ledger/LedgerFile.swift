#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin, blocking wrappers over the system calls the ledger needs. Each returns or throws an
/// errno; none retries except on EINTR.
enum FileIO {
    static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o640) throws(SystemError) -> Int32 {
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return fd }
            if errno != EINTR { throw SystemError("open", path: path, errno: errno) }
        }
    }

    /// Writes every byte or throws; a short write is continued.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws(LedgerWriteError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return Glibc.write(fd, base + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw .io(operation: "write", errno: errno)
            }
            offset += written
        }
    }

    static func dataSync(_ fd: Int32) throws(LedgerWriteError) {
        while fdatasync(fd) != 0 {
            if errno != EINTR { throw .io(operation: "fdatasync", errno: errno) }
        }
    }

    static func truncate(_ fd: Int32, to length: Int64) throws(LedgerWriteError) {
        while ftruncate(fd, off_t(length)) != 0 {
            if errno != EINTR { throw .io(operation: "ftruncate", errno: errno) }
        }
    }

    static func size(_ fd: Int32, path: String) throws(SystemError) -> Int64 {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw SystemError("fstat", path: path, errno: errno) }
        return Int64(info.st_size)
    }

    /// Makes a rename or a new file in `directory` durable.
    static func syncDirectory(_ directory: String) throws(SystemError) {
        let fd = try open(directory, O_RDONLY | O_DIRECTORY)
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw SystemError("fsync", path: directory, errno: errno) }
    }

    static func readAt(_ fd: Int32, count: Int, offset: Int64, path: String) throws(SystemError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = buffer.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return pread(fd, base + filled, count - filled, off_t(offset + Int64(filled)))
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw SystemError("read", path: path, errno: errno)
            }
            if got == 0 { break }
            filled += got
        }
        return Array(buffer.prefix(filled))
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }
}
