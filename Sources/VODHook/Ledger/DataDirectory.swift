#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The data directory holds the ledger, its lock and (when generated) the callback key.
public enum DataDirectory {
    /// Creates the directory and its parents (mode 0750) if missing.
    public static func create(_ path: String) throws(DataDirectoryError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, 0o750) != 0, errno != EEXIST {
                throw .system(SystemError("mkdir", path: prefix, errno: errno))
            }
            prefix += "/"
        }
    }
}
