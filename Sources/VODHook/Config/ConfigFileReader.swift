import SystemPackage

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
        let fd: FileDescriptor
        do {
            fd = try FileIO.open(path, .readOnly)
        } catch {
            let code = error.errno
            throw code == ENOENT || code == ENOTDIR ? .notFound : .unreadable(reason: Self.reason(code))
        }
        defer { FileIO.close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count: Int
            do {
                count = try chunk.withUnsafeMutableBytes { try fd.read(into: $0, retryOnInterrupt: true) }
            } catch {
                throw .unreadable(reason: Self.reason((error as? Errno)?.rawValue ?? EIO))
            }
            if count == 0 { return bytes }
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
