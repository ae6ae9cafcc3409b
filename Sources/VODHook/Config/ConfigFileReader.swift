#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Reads a small configuration or key file whole, telling a missing file from an unreadable one.
enum ConfigFileReader {
    /// Why a file could not be read.
    enum Failure: Error, Equatable {
        /// No file at the path (ENOENT, or a missing directory on the way).
        case notFound
        /// Anything else, as the system says it (`Permission denied`, `Is a directory`, …).
        case unreadable(reason: String)
    }

    /// Files larger than this are refused: a config or key file is a few KiB.
    static let sizeLimit = 1 << 20

    /// The file's bytes.
    static func contents(of path: String) throws(Failure) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            throw code == ENOENT || code == ENOTDIR ? .notFound : .unreadable(reason: Self.reason(code))
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count == 0 { return bytes }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw .unreadable(reason: Self.reason(code))
            }
            bytes += chunk[0..<count]
            guard bytes.count <= sizeLimit else {
                throw .unreadable(reason: "larger than \(sizeLimit) bytes")
            }
        }
    }

    /// `strerror` for an errno value.
    static func reason(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
