package import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The few calls that change the data directory's entries (and the cut of a failed batch),
/// behind a seam so tests can fail one of them: an `open` failing right after a successful
/// rename, or a directory `fsync` failing, cannot be produced with real files (the tests run
/// as root, and a full disk or a read-only mount would fail the calls before them too). The
/// writer uses ``SystemFileSystem``; reads, writes and `fdatasync` stay direct, since real
/// faults (RLIMIT_FSIZE) reach those. `mkdir` and `rename` are raw calls: swift-system has neither.
package protocol LedgerFileSystem: Sendable {
    /// Creates a directory; false when it already existed.
    func makeDirectory(_ path: String, mode: UInt32) throws(SystemError) -> Bool
    func open(
        _ path: String, _ access: FileDescriptor.AccessMode, options: FileDescriptor.OpenOptions, permissions: FilePermissions
    ) throws(SystemError) -> FileDescriptor
    func rename(_ from: String, to: String) throws(SystemError)
    func truncate(_ fd: FileDescriptor, to length: Int64) throws(LedgerWriteError)
    /// Makes a new, renamed or removed entry of `directory` durable.
    func syncDirectory(_ directory: String) throws(SystemError)
}

/// The real calls.
package struct SystemFileSystem: LedgerFileSystem {
    package init() {}

    package func makeDirectory(_ path: String, mode: UInt32) throws(SystemError) -> Bool {
        if mkdir(path, mode) == 0 { return true }
        if errno == EEXIST { return false }
        throw SystemError("mkdir", path: path, errno: errno)
    }

    package func open(
        _ path: String, _ access: FileDescriptor.AccessMode, options: FileDescriptor.OpenOptions, permissions: FilePermissions
    ) throws(SystemError) -> FileDescriptor {
        try FileIO.open(path, access, options: options, permissions: permissions)
    }

    package func rename(_ from: String, to: String) throws(SystemError) {
        guard Glibc.rename(from, to) == 0 else { throw SystemError("rename", path: from, errno: errno) }
    }

    package func truncate(_ fd: FileDescriptor, to length: Int64) throws(LedgerWriteError) {
        try FileIO.truncate(fd, to: length)
    }

    package func syncDirectory(_ directory: String) throws(SystemError) {
        try FileIO.syncDirectory(directory)
    }
}
