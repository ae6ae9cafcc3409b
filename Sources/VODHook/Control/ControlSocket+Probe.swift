#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension ControlSocket {
    /// Whether a server is listening on the data directory's control socket: a connect that is
    /// accepted, then closed. Unlike trying the data directory lock, it cannot make a server
    /// that starts at that moment find the lock taken.
    public static func answers(dataDir: String) -> Bool {
        let socketPath = path(dataDir: dataDir)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(socketPath.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in bytes.enumerated() { buffer[index] = byte }
        }
        #if canImport(Glibc)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_UNIX, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        return connected == 0
    }
}
