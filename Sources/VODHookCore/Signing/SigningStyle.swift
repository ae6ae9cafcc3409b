/// Which Alibaba Cloud signature a request carries.
public enum SigningStyle: String, Sendable, Hashable, CaseIterable {
    /// `ACS3-HMAC-SHA256` in an `Authorization` header: the current SDKs' default, and vodhook's.
    case v3
    /// RPC `SignatureVersion=1.0` (HMAC-SHA1) in the query: the legacy SDKs' style, kept as a fallback.
    case rpc
}
