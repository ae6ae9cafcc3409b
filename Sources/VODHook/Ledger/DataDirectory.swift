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

    /// Each directory it creates is synced into its parent: lines fdatasync'd into a file whose
    /// directory entry is not durable could vanish with it.
    static func create(_ path: String, fileSystem: any LedgerFileSystem) throws(DataDirectoryError) {
        var parent = path.hasPrefix("/") ? "/" : "."
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            do {
                if try fileSystem.makeDirectory(prefix, mode: 0o750) { try fileSystem.syncDirectory(parent) }
            } catch {
                throw .system(error)
            }
            parent = prefix
            prefix += "/"
        }
    }
}
