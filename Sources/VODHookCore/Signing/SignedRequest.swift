/// A signed call, ready to send: method, path, the exact encoded query and the headers, in order.
///
/// Send the query string as it is, without re-encoding: the signature covers these bytes.
/// Its string forms show names only, because the query (RPC) or headers (V3) carry credentials.
public struct SignedRequest: Sendable, Hashable {
    /// The style the request was signed in.
    public let style: SigningStyle
    /// The HTTP method, `POST`.
    public let method: String
    /// The endpoint host, e.g. `vod.cn-shanghai.aliyuncs.com`.
    public let host: String
    /// The path, `/`.
    public let path: String
    /// The encoded query without `?`, e.g. `MediaId=…&Types=AIVideoTag`; may be empty.
    public let query: String
    /// The headers to send, in order; header names are lower-case.
    public let headers: [ACSHeader]
    /// The body: empty, as the SDKs send these calls.
    public let body: [UInt8]

    /// Creates a signed request; ``ACSRequest/signed(credentials:style:timestamp:nonce:)`` is the usual source.
    public init(
        style: SigningStyle, method: String, host: String, path: String, query: String,
        headers: [ACSHeader], body: [UInt8]
    ) {
        self.style = style
        self.method = method
        self.host = host
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The path with the query, e.g. `/?MediaId=…`, or just the path when there is no query.
    public var pathAndQuery: String {
        query.isEmpty ? path : path + "?" + query
    }

    /// The full URL as text: `https://<host>/?<query>`.
    public func url(scheme: String = "https") -> String {
        "\(scheme)://\(host)\(pathAndQuery)"
    }

    /// The first value of the header `name` (compared case-insensitively), if any.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }
}

extension SignedRequest: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Method, host, path and the names of the query parameters and headers; no values.
    public var description: String {
        let names = query.split(separator: "&").map { $0.split(separator: "=", maxSplits: 1).first ?? "" }
        return "SignedRequest(\(style.rawValue) \(method) \(host)\(path), query: [\(names.joined(separator: ", "))], "
            + "headers: [\(headers.map(\.name).joined(separator: ", "))])"
    }

    /// The same redacted text as ``description``.
    public var debugDescription: String { description }

    /// A mirror without the query and header values, which carry credentials.
    public var customMirror: Mirror {
        Mirror(self, children: ["redacted": description], displayStyle: .struct)
    }
}
