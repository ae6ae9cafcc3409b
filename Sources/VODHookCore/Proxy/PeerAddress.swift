/// The other end of an accepted connection: an IP address and port, or a unix socket peer
/// (which has no address of its own).
public enum PeerAddress: Sendable, Hashable, CustomStringConvertible {
    case ip(String, port: Int)
    case unix

    /// `203.0.113.9:51234`, `[2001:db8::1]:51234` or `unix`.
    public var description: String {
        switch self {
        case .ip(let address, let port): address.contains(":") ? "[\(address)]:\(port)" : "\(address):\(port)"
        case .unix: "unix"
        }
    }
}
