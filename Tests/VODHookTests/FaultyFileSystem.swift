import Synchronization
import SystemPackage
import VODHook

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The real file system, recording each directory-changing call and failing the ones a test
/// chooses (a fault the test cannot make with real files: see ``LedgerFileSystem``).
final class FaultyFileSystem: LedgerFileSystem {
    enum Call: Equatable, Sendable, CustomStringConvertible {
        case makeDirectory(String)
        case open(String, creates: Bool)
        case rename(String, to: String)
        case truncate
        case syncDirectory(String)

        var description: String {
            switch self {
            case .makeDirectory(let path): "mkdir \(path)"
            case .open(let path, let creates): "open \(path)\(creates ? " O_CREAT" : "")"
            case .rename(let from, let to): "rename \(from) \(to)"
            case .truncate: "ftruncate"
            case .syncDirectory(let path): "fsync dir \(path)"
            }
        }
    }

    /// Chooses a call to fail from the call and the one made before it.
    typealias Match = @Sendable (_ call: Call, _ previous: Call?) -> Bool

    private struct Fault {
        let match: Match
        var remaining: Int
        let errno: Int32
    }

    private let real = SystemFileSystem()
    private let state = Mutex<(calls: [Call], faults: [Fault])>(([], []))

    /// Every call so far, in order (failed ones included).
    var calls: [Call] { state.withLock { $0.calls } }

    /// Fails the next `times` calls that `match` picks with `errno`.
    func fail(times: Int = 1, errno: Int32 = EIO, _ match: @escaping Match) {
        state.withLock { $0.faults.append(Fault(match: match, remaining: times, errno: errno)) }
    }

    /// Records `call`; the errno to fail it with, if a fault picks it.
    private func check(_ call: Call) -> Int32? {
        state.withLock { state in
            let previous = state.calls.last
            state.calls.append(call)
            guard let index = state.faults.firstIndex(where: { $0.remaining > 0 && $0.match(call, previous) }) else { return nil }
            state.faults[index].remaining -= 1
            return state.faults[index].errno
        }
    }

    func makeDirectory(_ path: String, mode: UInt32) throws(SystemError) -> Bool {
        if let code = check(.makeDirectory(path)) { throw SystemError("mkdir", path: path, errno: code) }
        return try real.makeDirectory(path, mode: mode)
    }

    func open(
        _ path: String, _ access: FileDescriptor.AccessMode, options: FileDescriptor.OpenOptions, permissions: FilePermissions
    ) throws(SystemError) -> FileDescriptor {
        if let code = check(.open(path, creates: options.contains(.create))) {
            throw SystemError("open", path: path, errno: code)
        }
        return try real.open(path, access, options: options, permissions: permissions)
    }

    func rename(_ from: String, to: String) throws(SystemError) {
        if let code = check(.rename(from, to: to)) { throw SystemError("rename", path: from, errno: code) }
        try real.rename(from, to: to)
    }

    func truncate(_ fd: FileDescriptor, to length: Int64) throws(LedgerWriteError) {
        if let code = check(.truncate) { throw .io(operation: "ftruncate", errno: code) }
        try real.truncate(fd, to: length)
    }

    func syncDirectory(_ directory: String) throws(SystemError) {
        if let code = check(.syncDirectory(directory)) { throw SystemError("fsync", path: directory, errno: code) }
        try real.syncDirectory(directory)
    }
}
