import Foundation

/// The peers whose `X-Forwarded-For` / `X-Real-IP` are believed (`--trusted-proxy`).
///
/// Anyone can send those headers; only a proxy we run writes them truthfully. So the headers of a
/// peer not listed are ignored, and of the addresses a listed proxy forwards the rightmost one that
/// is not itself a listed proxy is the client: entries further left were written by the client or
/// by proxies we do not know.
public struct TrustedProxies: Sendable, Hashable, CustomStringConvertible {
    /// The value that makes peers of a unix socket trusted (a local proxy such as nginx).
    public static let unixValue = "unix"
    /// What an entry may be, for error messages.
    public static let expected = "an IPv4 or IPv6 address, or unix"

    /// Normalised IP addresses.
    public let addresses: Set<String>
    /// Whether unix socket peers are trusted.
    public let unix: Bool

    /// Believe no one: the default.
    public static let none = TrustedProxies(addresses: [], unix: false)

    private init(addresses: Set<String>, unix: Bool) {
        self.addresses = addresses
        self.unix = unix
    }

    /// Parses the configured entries; nil when one is neither an address nor `unix`.
    public init?(_ entries: [String]) {
        var addresses = Set<String>()
        var unix = false
        for entry in entries {
            let trimmed = entry.trimmingCharacters(in: .whitespaces)
            if trimmed.lowercased() == Self.unixValue {
                unix = true
            } else if let address = IPAddressText.normalized(trimmed) {
                addresses.insert(address)
            } else {
                return nil
            }
        }
        self.init(addresses: addresses, unix: unix)
    }

    /// Whether the headers of `peer` are believed.
    public func trusts(_ peer: PeerAddress) -> Bool {
        switch peer {
        case .unix: unix
        case .ip(let address, _): IPAddressText.normalized(address).map(addresses.contains) ?? false
        }
    }

    /// The client behind `peer`: the forwarded address when `peer` is a trusted proxy that sent a
    /// usable one (`X-Forwarded-For` first, then `X-Real-IP`), else nil (the peer is the client).
    /// `forwardedFor` is every `X-Forwarded-For` value joined by ", ".
    public func forwardedClient(peer: PeerAddress, forwardedFor: String?, realIP: String?) -> String? {
        guard trusts(peer) else { return nil }
        if let forwardedFor {
            for entry in forwardedFor.split(separator: ",").reversed() {
                // A garbled entry where our proxy writes means the header is not what we think: stop.
                guard let address = IPAddressText.normalized(entry.trimmingCharacters(in: .whitespaces)) else { return nil }
                if !addresses.contains(address) { return address }
            }
        }
        return realIP.flatMap { IPAddressText.normalized($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// The entries, `unix` first, then the addresses sorted: as they are shown in the settings.
    public var description: String {
        let entries = (unix ? [Self.unixValue] : []) + addresses.sorted()
        return entries.isEmpty ? "(none)" : entries.joined(separator: ",")
    }
}
