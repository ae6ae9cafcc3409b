#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Where a running `vodhook serve` takes lines from `submit` and `reconcile`:
/// `<data-dir>/control/vodhook.sock`, inside a directory only vodhook's user may enter, so the
/// socket is private from the moment it is bound.
public enum ControlSocket {
    /// The socket's path for a data directory.
    public static func path(dataDir: String) -> String { dataDir + "/control/vodhook.sock" }

    /// A unix socket path must fit `sun_path` (108 bytes with its terminator).
    public static let maxPathBytes = 107

    /// Makes the directory (mode 0700) and removes a socket left by a killed server. Call only
    /// while holding the data directory lock: it proves no live server is using the old one.
    public static func prepare(dataDir: String) throws(SystemError) -> String {
        let socket = path(dataDir: dataDir)
        guard socket.utf8.count <= maxPathBytes else {
            throw SystemError("bind", path: socket, errno: ENAMETOOLONG)
        }
        let directory = dataDir + "/control"
        if mkdir(directory, 0o700) != 0, errno != EEXIST {
            throw SystemError("mkdir", path: directory, errno: errno)
        }
        guard chmod(directory, 0o700) == 0 else { throw SystemError("chmod", path: directory, errno: errno) }
        var info = stat()
        if lstat(socket, &info) == 0, (info.st_mode & S_IFMT) == S_IFSOCK { unlink(socket) }
        return socket
    }
}
