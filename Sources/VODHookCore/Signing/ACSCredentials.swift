/// An Alibaba Cloud AccessKey pair, optionally with an STS security token.
///
/// Its string forms (`description`, `debugDescription`, `dump`) never show any of the three values:
/// the type gets logged and interpolated by accident, and the key ID names the account.
public struct ACSCredentials: Sendable, Hashable {
    /// The AccessKey ID (`LTAI…`), sent as `AccessKeyId` or in `Credential=`.
    public var accessKeyId: String
    /// The AccessKey secret: the HMAC key, never sent.
    public var accessKeySecret: String
    /// The STS token, when the pair is temporary; signed as `SecurityToken` / `x-acs-security-token`.
    public var securityToken: String?

    /// Creates credentials; pass `securityToken` for STS.
    public init(accessKeyId: String, accessKeySecret: String, securityToken: String? = nil) {
        self.accessKeyId = accessKeyId
        self.accessKeySecret = accessKeySecret
        self.securityToken = securityToken
    }
}

extension ACSCredentials: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Says only whether a security token is present; no value appears.
    public var description: String {
        "ACSCredentials(accessKeyId: <redacted>, accessKeySecret: <redacted>, securityToken: \(securityToken == nil ? "nil" : "<redacted>"))"
    }

    /// The same redacted text as ``description``.
    public var debugDescription: String { description }

    /// A mirror without the values, so `dump` and test failure output stay redacted too.
    public var customMirror: Mirror {
        Mirror(self, children: ["redacted": description], displayStyle: .struct)
    }
}
