import SystemPackage
import VODHookCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A `write` handler's file, written so that a reader sees the old file or the whole new one,
/// and a crash after the handler reports ok cannot lose it: a temporary file beside it, fsync,
/// rename over the name, fsync of the directory (and of each directory it had to create).
///
/// Below `dir` no symlink is followed (`O_NOFOLLOW` at every step), so even a link planted in
/// `dir` cannot send a result elsewhere; `dir` itself is the operator's and may be a link.
/// The `*at` calls and `fsync` are raw: swift-system has none of them.
public enum ResultFile {
    /// Writes `bytes` to `dir/relativePath`; `relativePath` must be a plain relative path (as
    /// ``PathTemplate/relativePath(for:)`` makes). Creates `dir` and the directories on the way.
    public static func write(_ bytes: [UInt8], dir: String, relativePath: String) throws(SystemError) {
        let components = relativePath.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard let name = components.last, components.allSatisfy(PathComponent.isSafe) else {
            throw SystemError("write", path: dir + "/" + relativePath, errno: EINVAL)
        }
        try makeDirectories(dir)
        var fd = try openDirectory(AT_FDCWD, dir, path: dir, followLinks: true)
        defer { close(fd) }
        var path = dir
        for component in components.dropLast() {
            path += "/" + component
            if mkdirat(fd, component, 0o755) == 0 {
                try sync(fd, path: path)  // the new directory's entry
            } else if errno != EEXIST {
                throw SystemError("mkdir", path: path, errno: errno)
            }
            let next = try openDirectory(fd, component, path: path, followLinks: false)
            close(fd)
            fd = next
        }
        let target = path + "/" + name
        let temporary = ".\(name).\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
        let file = openat(fd, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard file >= 0 else { throw SystemError("create", path: path + "/" + temporary, errno: errno) }
        do throws(SystemError) {
            defer { close(file) }
            do {
                try FileIO.writeAll(FileDescriptor(rawValue: file), bytes)
            } catch {
                let code: Int32 = if case .io(_, let code) = error { code } else { EIO }
                throw SystemError("write", path: target, errno: code)
            }
            try sync(file, path: target)
            guard renameat(fd, temporary, fd, name) == 0 else { throw SystemError("rename", path: target, errno: errno) }
        } catch {
            unlinkat(fd, temporary, 0)
            throw error
        }
        try sync(fd, path: path)
    }

    /// `mkdir -p dir`.
    private static func makeDirectories(_ dir: String) throws(SystemError) {
        var path = dir.hasPrefix("/") ? "" : "."
        for component in dir.split(separator: "/") {
            path += "/" + component
            if mkdir(path, 0o755) != 0, errno != EEXIST { throw SystemError("mkdir", path: path, errno: errno) }
        }
    }

    private static func openDirectory(_ parent: Int32, _ name: String, path: String, followLinks: Bool) throws(SystemError)
        -> Int32
    {
        let flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | (followLinks ? 0 : O_NOFOLLOW)
        let fd = openat(parent, name, flags)
        guard fd >= 0 else { throw SystemError("open", path: path, errno: errno) }
        return fd
    }

    private static func sync(_ fd: Int32, path: String) throws(SystemError) {
        while fsync(fd) != 0 {
            if errno != EINTR { throw SystemError("fsync", path: path, errno: errno) }
        }
    }
}
