#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The data directory holds the ledger, its lock and (when generated) the callback key.
public enum DataDirectory {
    /// Creates the directory and its parents (mode 0750) if missing.
    public static func create(_ path: String) throws(DataDirectoryError) {
        try create(path, fileSystem: SystemFileSystem())
    }

    static func create(_ path: String, fileSystem: any LedgerFileSystem) throws(DataDirectoryError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            do {
                _ = try fileSystem.makeDirectory(prefix, mode: 0o750)
            } catch {
                throw .system(error)
            }
            prefix += "/"
        }
    }
}
