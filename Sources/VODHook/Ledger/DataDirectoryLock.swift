import SystemPackage
import VODHookCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The one-writer rule: an exclusive `flock` on `<data-dir>/vodhook.lock`, held for the life of
/// the process. The kernel drops it when the process dies, even by `kill -9`, so a stale lock
/// file never blocks a restart. `flock` and `fchmod` are raw calls: swift-system has neither.
public final class DataDirectoryLock: Sendable {
    public let path: String
    private let fd: FileDescriptor

    /// Takes the lock or throws `DataDirectoryError.inUse` naming the holder's pid.
    public init(dataDir: String) throws(DataDirectoryError) {
        let path = dataDir + "/vodhook.lock"
        let fd: FileDescriptor
        do {
            fd = try FileIO.open(path, .readWrite, options: .create, permissions: .ownerReadWrite)
        } catch {
            throw .system(error)
        }
        // Anyone who can open the file can hold `flock -s` on it and keep serve from starting:
        // owner only, also for a lock file left by an older version with a wider mode.
        _ = fchmod(fd.rawValue, 0o600)
        guard flock(fd.rawValue, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? FileIO.readAt(fd, count: 32, offset: 0, path: path))
                .flatMap { Int32(String(decoding: $0, as: UTF8.self).trimmingWhitespace()) }
            FileIO.close(fd)
            throw .inUse(dataDir: dataDir, pid: holder)
        }
        // The pid is informational (the flock is the lock): it lets the refusal name the holder.
        let pid = Array("\(getpid())\n".utf8)
        _ = try? fd.resize(to: 0)
        _ = try? fd.writeAll(toAbsoluteOffset: 0, pid)
        self.path = path
        self.fd = fd
    }

    /// Releases the lock (also released when the process exits).
    public func release() {
        flock(fd.rawValue, LOCK_UN)
        FileIO.close(fd)
    }
}

/// Why the data directory could not be opened for writing.
public enum DataDirectoryError: Error, Equatable, Sendable, CustomStringConvertible {
    case inUse(dataDir: String, pid: Int32?)
    case system(SystemError)
    case corrupt(String)

    public var description: String {
        switch self {
        case .inUse(let dataDir, let pid):
            "data directory \(dataDir) is in use by another vodhook"
                + (pid.map { " (pid \($0))" } ?? "") + "; one writer per data directory"
        case .system(let error): error.description
        case .corrupt(let text): text
        }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
