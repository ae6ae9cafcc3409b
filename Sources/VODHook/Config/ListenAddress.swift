/// Where a listener accepts connections: a TCP host and port, or a Unix domain socket.
///
/// Parsed from `HOST:PORT` (`127.0.0.1:8080`, `localhost:80`), `[IPV6]:PORT` (`[::1]:8080`),
/// `:PORT` (every IPv4 interface, that is `0.0.0.0:PORT`) or `unix:PATH` (`unix:/run/vodhook.sock`).
/// Ports are 0...65535; 0 asks the system for a free one. ``description`` gives back a string that
/// parses to the same value.
public enum ListenAddress: Sendable, Hashable, LosslessStringConvertible {
    /// A TCP listener on `host` (a name, an IPv4 address or an IPv6 address without brackets).
    case tcp(host: String, port: Int)
    /// A Unix domain socket at `path`.
    case unix(path: String)

    /// What the text must look like; used in error messages.
    static let expected = "HOST:PORT, [IPv6]:PORT, :PORT or unix:PATH, with a port in 0...65535"

    /// Parses `HOST:PORT`, `[IPV6]:PORT`, `:PORT` or `unix:PATH`; nil for anything else.
    public init?(_ description: String) {
        if description.hasPrefix("unix:") {
            let path = String(description.dropFirst("unix:".count))
            guard !path.isEmpty, !path.contains("\0") else { return nil }
            self = .unix(path: path)
            return
        }
        let host: Substring
        let portText: Substring
        if description.hasPrefix("[") {
            // Bracketed IPv6: the only form where the host itself may contain colons.
            guard let close = description.firstIndex(of: "]") else { return nil }
            host = description[description.index(after: description.startIndex)..<close]
            let rest = description[description.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            portText = rest.dropFirst()
            guard !host.isEmpty, host.allSatisfy(Self.isIPv6Character), host.contains(":") else { return nil }
        } else {
            guard let colon = description.lastIndex(of: ":") else { return nil }
            host = description[..<colon]
            portText = description[description.index(after: colon)...]
            // An unbracketed host with a colon is a bare IPv6 address: ambiguous with the port.
            guard host.allSatisfy(Self.isHostCharacter) else { return nil }
        }
        guard let port = Self.port(portText) else { return nil }
        self = .tcp(host: host.isEmpty ? "0.0.0.0" : String(host), port: port)
    }

    /// `HOST:PORT`, `[IPV6]:PORT` or `unix:PATH`; `ListenAddress(address.description) == address`.
    public var description: String {
        switch self {
        case .tcp(let host, let port):
            host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .unix(let path):
            "unix:\(path)"
        }
    }

    /// A unix socket, or a TCP listener on a loopback address: not reachable from another host.
    public var isLocalOnly: Bool {
        switch self {
        case .unix:
            return true
        case .tcp(let host, _):
            let lowered = host.lowercased()
            if lowered == "localhost" || lowered == "::1" { return true }
            // 127.0.0.0/8, written as a dotted quad.
            let parts = lowered.split(separator: ".", omittingEmptySubsequences: false)
            return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
        }
    }

    private static func port(_ text: Substring) -> Int? {
        // Digits only: `Int("+80")` would accept a sign, and five digits at most keeps it small.
        guard (1...5).contains(text.count), text.allSatisfy({ $0.isASCII && $0.isNumber }),
            let port = Int(text), (0...65535).contains(port)
        else { return nil }
        return port
    }

    private static func isHostCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || "-._".contains(character))
    }

    private static func isIPv6Character(_ character: Character) -> Bool {
        // Hex digits, colons, dots (an embedded IPv4 tail) and a `%zone` suffix.
        character.isASCII
            && (character.isHexDigit || ":.%".contains(character)
                || character.isLetter || character.isNumber)
    }
}
