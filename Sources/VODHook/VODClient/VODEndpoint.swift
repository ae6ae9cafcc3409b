/// Where VOD API calls go: a scheme and the host (with a port when it is not the scheme's default)
/// that is both connected to and signed as `host`.
public struct VODEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// The region used when neither `--region` nor `--endpoint` is given.
    public static let defaultRegion = "cn-shanghai"

    /// `https`, or `http` for a local fake or a private gateway.
    public let scheme: String
    /// The host as signed and sent in `Host`, e.g. `vod.cn-shanghai.aliyuncs.com` or `127.0.0.1:8081`.
    public let host: String

    /// The public endpoint of a region: `https://vod.<region>.aliyuncs.com`. `cn-hangzhou` maps to
    /// `cn-shanghai`, as the SDKs do (VOD has no Hangzhou endpoint).
    public init(region: String) throws(VODEndpointError) {
        let id = region.lowercased()
        guard !id.isEmpty, id.utf8.allSatisfy({ Self.isRegionByte($0) }),
            id.first != "-", id.last != "-"
        else { throw .invalidRegion(region) }
        scheme = "https"
        host = "vod.\(id == "cn-hangzhou" ? "cn-shanghai" : id).aliyuncs.com"
    }

    /// An explicit endpoint: `http(s)://host[:port]` with an empty or `/` path and no user,
    /// query or fragment (VOD's signed path is always `/`). A default port is dropped.
    public init(url: String) throws(VODEndpointError) {
        let lower = url.lowercased()
        let rest: Substring
        if lower.hasPrefix("https://") {
            scheme = "https"
            rest = url.dropFirst("https://".count)
        } else if lower.hasPrefix("http://") {
            scheme = "http"
            rest = url.dropFirst("http://".count)
        } else {
            throw .invalidURL(url, reason: "expected http:// or https://")
        }
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        guard path.isEmpty || path == "/" else {
            throw .invalidURL(url, reason: "no path, query or fragment allowed (VOD signs the path /)")
        }
        host = try Self.authority(String(authority), scheme: scheme, url: url)
    }

    /// `--endpoint` if given, else `--region`, else ``defaultRegion``.
    public static func resolve(region: String?, endpoint: String?) throws(VODEndpointError) -> VODEndpoint {
        if let endpoint { return try VODEndpoint(url: endpoint) }
        return try VODEndpoint(region: region ?? defaultRegion)
    }

    /// The endpoint of ``defaultRegion``.
    // swift-format-ignore: DontRepeatTypeInStaticProperties
    // `defaultRegion` already names the region's string; "Endpoint" says this is not it.
    public static let defaultRegionEndpoint = VODEndpoint(scheme: "https", host: "vod.\(defaultRegion).aliyuncs.com")

    private init(scheme: String, host: String) {
        self.scheme = scheme
        self.host = host
    }

    /// `scheme://host`.
    public var url: String { "\(scheme)://\(host)" }

    /// Same as ``url``.
    public var description: String { url }

    private static func authority(_ text: String, scheme: String, url: String) throws(VODEndpointError) -> String {
        guard !text.isEmpty else { throw .invalidURL(url, reason: "no host") }
        guard !text.contains("@"), !text.contains("?"), !text.contains("#") else {
            throw .invalidURL(url, reason: "no user, query or fragment allowed")
        }
        var hostPart = Substring(text)
        var portPart: Substring?
        if text.hasPrefix("[") {
            // An IPv6 literal: the port, if any, follows the closing bracket.
            guard let close = text.firstIndex(of: "]") else { throw .invalidURL(url, reason: "unclosed [") }
            hostPart = text[...close]
            let after = text[text.index(after: close)...]
            if !after.isEmpty {
                guard after.first == ":" else { throw .invalidURL(url, reason: "bad port") }
                portPart = after.dropFirst()
            }
        } else if let colon = text.lastIndex(of: ":") {
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
        }
        let host = hostPart.lowercased()
        guard !host.isEmpty,
            host.hasPrefix("[") || host.utf8.allSatisfy({ isRegionByte($0) || $0 == UInt8(ascii: ".") })
        else { throw .invalidURL(url, reason: "bad host") }
        guard let portPart else { return host }
        guard let port = Int(portPart), (1...65_535).contains(port), portPart.utf8.allSatisfy({ (48...57).contains($0) })
        else { throw .invalidURL(url, reason: "bad port") }
        let defaultPort = scheme == "https" ? 443 : 80
        return port == defaultPort ? host : "\(host):\(port)"
    }

    private static func isRegionByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"): true
        default: false
        }
    }
}

/// Why `--region` or `--endpoint` cannot be used. Messages quote the value: it is not secret.
public enum VODEndpointError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not a region ID such as `cn-shanghai`.
    case invalidRegion(String)
    /// Not an `http(s)://host[:port]` URL.
    case invalidURL(String, reason: String)

    /// One line naming the option.
    public var description: String {
        switch self {
        case .invalidRegion(let region): "--region \"\(region)\" is not a region ID such as cn-shanghai"
        case .invalidURL(let url, let reason): "--endpoint \"\(url)\" is not usable: \(reason)"
        }
    }
}
