/// A request as a server received it, for ``SignatureCheck``: query items already percent-decoded,
/// headers as they arrived.
///
/// Its string forms show names only: the query and headers carry the caller's credentials.
public struct ReceivedRequest: Sendable, Hashable {
    /// The HTTP method as received, e.g. `POST`.
    public var method: String
    /// The path as received (still encoded), e.g. `/`.
    public var path: String
    /// The query items, decoded, in the order received.
    public var queryItems: [ACSQueryItem]
    /// The headers, in the order received.
    public var headers: [ACSHeader]
    /// The body bytes; empty for the calls vodhook makes.
    public var body: [UInt8]

    /// Creates a received request.
    public init(
        method: String, path: String, queryItems: [ACSQueryItem], headers: [ACSHeader],
        body: [UInt8] = []
    ) {
        self.method = method
        self.path = path
        self.queryItems = queryItems
        self.headers = headers
        self.body = body
    }

    /// What the server would receive for `request`: its query decoded, headers and body as sent.
    /// Returns `nil` only if the query is not validly encoded, which ``SignedRequest`` never is.
    public init?(_ request: SignedRequest) {
        guard let items = ACSPercentEncoding.decodeQuery(request.query) else { return nil }
        self.init(
            method: request.method, path: request.path, queryItems: items, headers: request.headers,
            body: request.body)
    }
}

extension ReceivedRequest: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Method, path and the names of the query items and headers; no values.
    public var description: String {
        "ReceivedRequest(\(method) \(path), query: [\(queryItems.map(\.name).joined(separator: ", "))], "
            + "headers: [\(headers.map(\.name).joined(separator: ", "))])"
    }

    /// The same redacted text as ``description``.
    public var debugDescription: String { description }

    /// A mirror without the values, which carry credentials.
    public var customMirror: Mirror {
        Mirror(self, children: ["redacted": description], displayStyle: .struct)
    }
}
