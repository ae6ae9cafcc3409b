/// What a passed ``SignatureCheck`` established: who signed, for which action, and with which
/// nonce and timestamp, so the server can refuse a replayed nonce.
public struct VerifiedSignature: Sendable, Hashable {
    /// The style the request was signed in.
    public let style: SigningStyle
    /// The AccessKey ID that signed.
    public let accessKeyId: String
    /// The action, from `Action` (RPC) or `x-acs-action` (V3).
    public let action: String
    /// The API version, from `Version` (RPC) or `x-acs-version` (V3).
    public let version: String
    /// The signature nonce, from `SignatureNonce` (RPC) or `x-acs-signature-nonce` (V3).
    public let nonce: String
    /// The signed timestamp.
    public let timestamp: ACSTimestamp
    /// The operation parameters: the query minus the common RPC parameters (all of it for V3).
    public let parameters: [ACSQueryItem]

    /// Creates the result of a passed check.
    public init(
        style: SigningStyle, accessKeyId: String, action: String, version: String, nonce: String,
        timestamp: ACSTimestamp, parameters: [ACSQueryItem]
    ) {
        self.style = style
        self.accessKeyId = accessKeyId
        self.action = action
        self.version = version
        self.nonce = nonce
        self.timestamp = timestamp
        self.parameters = parameters
    }
}

extension VerifiedSignature: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Style, action, version, nonce, timestamp and parameter names; not the key ID.
    public var description: String {
        "VerifiedSignature(\(style.rawValue) \(action) \(version), nonce: \(nonce), timestamp: \(timestamp), "
            + "parameters: [\(parameters.map(\.name).joined(separator: ", "))])"
    }

    /// The same redacted text as ``description``.
    public var debugDescription: String { description }

    /// A mirror without the key ID.
    public var customMirror: Mirror {
        Mirror(self, children: ["redacted": description], displayStyle: .struct)
    }
}
