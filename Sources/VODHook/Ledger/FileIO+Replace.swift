import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension FileIO {
    /// Puts `bytes` at `path` so that after a crash the file is whole, the old one, or absent:
    /// written to `temporary` (in the same directory), fsync'd, renamed over `path`, then the
    /// directory fsync'd. The temporary file is removed when a step fails.
    static func replace(_ path: String, with bytes: [UInt8], temporary: String, directory: String) throws {
        let fd = try open(temporary, .writeOnly, options: [.create, .truncate])
        do {
            defer { close(fd) }
            try writeAll(fd, bytes)
            guard fsync(fd.rawValue) == 0 else { throw SystemError("fsync", path: temporary, errno: errno) }
        } catch {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw SystemError("rename", path: temporary, errno: code)
        }
        try syncDirectory(directory)
    }
}
