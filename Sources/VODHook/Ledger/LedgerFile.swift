import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Thin, blocking file calls for the ledger, through swift-system's `FileDescriptor` where it has
/// the call (open, write, pread, resize, fstat, stat, close). Each returns or throws an errno and
/// retries only on EINTR. `fdatasync` and `fsync` stay raw calls: swift-system has neither.
enum FileIO {
    /// rw-r-----: the service's files, readable by its group (backups, `vodhook jobs`).
    static let filePermissions: FilePermissions = [.ownerReadWrite, .groupRead]

    static func open(
        _ path: String, _ access: FileDescriptor.AccessMode, options: FileDescriptor.OpenOptions = [],
        permissions: FilePermissions = filePermissions
    ) throws(SystemError) -> FileDescriptor {
        do {
            return try FileDescriptor.open(
                FilePath(path), access, options: options.union(.closeOnExec),
                permissions: options.contains(.create) ? permissions : nil, retryOnInterrupt: true)
        } catch {
            throw SystemError("open", path: path, errno: code(of: error))
        }
    }

    /// Writes every byte or throws; a short write is continued.
    static func writeAll(_ fd: FileDescriptor, _ bytes: [UInt8]) throws(LedgerWriteError) {
        do {
            _ = try fd.writeAll(bytes)
        } catch {
            throw .io(operation: "write", errno: code(of: error))
        }
    }

    static func dataSync(_ fd: FileDescriptor) throws(LedgerWriteError) {
        while fdatasync(fd.rawValue) != 0 {
            if errno != EINTR { throw .io(operation: "fdatasync", errno: errno) }
        }
    }

    static func truncate(_ fd: FileDescriptor, to length: Int64) throws(LedgerWriteError) {
        do {
            try fd.resize(to: length, retryOnInterrupt: true)
        } catch {
            throw .io(operation: "ftruncate", errno: code(of: error))
        }
    }

    static func size(_ fd: FileDescriptor, path: String) throws(SystemError) -> Int64 {
        do {
            return try fd.stat().size
        } catch {
            throw SystemError("fstat", path: path, errno: error.rawValue)
        }
    }

    /// Closes `fd`. A failed close is not retried (the descriptor is gone either way on Linux),
    /// and nothing written depends on it: the data was synced before.
    static func close(_ fd: FileDescriptor) {
        try? fd.close()
    }

    /// Makes a rename or a new file in `directory` durable.
    static func syncDirectory(_ directory: String) throws(SystemError) {
        let fd = try open(directory, .readOnly, options: .directory)
        defer { close(fd) }
        guard fsync(fd.rawValue) == 0 else { throw SystemError("fsync", path: directory, errno: errno) }
    }

    static func readAt(_ fd: FileDescriptor, count: Int, offset: Int64, path: String) throws(SystemError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got: Int
            do {
                got = try buffer.withUnsafeMutableBytes { raw in
                    try fd.read(
                        fromAbsoluteOffset: offset + Int64(filled), into: UnsafeMutableRawBufferPointer(rebasing: raw[filled...]),
                        retryOnInterrupt: true)
                }
            } catch {
                throw SystemError("read", path: path, errno: code(of: error))
            }
            if got == 0 { break }
            filled += got
        }
        return Array(buffer.prefix(filled))
    }

    static func exists(_ path: String) -> Bool {
        (try? FilePath(path).stat()) != nil
    }

    /// The errno of a swift-system error (its calls throw `Errno`, untyped).
    private static func code(of error: any Error) -> Int32 {
        (error as? Errno)?.rawValue ?? EIO
    }
}
