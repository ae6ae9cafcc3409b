/// Why ``SignatureCheck`` refused a request. Cases carry field names at most, never values.
public enum SignatureCheckError: Error, Sendable, Hashable {
    /// Neither an `Authorization` header nor a `Signature` parameter.
    case missingSignature
    /// A required parameter (RPC) or header (V3) is absent or empty; the associated value names it.
    case missingField(String)
    /// A parameter or header appears more than once; the associated value names it.
    case duplicateField(String)
    /// The `Authorization` header is not exactly `ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…`
    /// with a sorted, lower-case, non-repeating header list, or the signature is not of the expected shape.
    case malformedSignature
    /// Another algorithm, `SignatureMethod` or `SignatureVersion` than the ones VOD accepts here.
    case unsupportedSignatureMethod
    /// A header that must be signed (`host`, `content-type`, any `x-acs-*`) was sent but is not in
    /// `SignedHeaders`; the associated value names it. (A listed header that was not sent is a
    /// ``missingField(_:)``.)
    case unsignedHeader(String)
    /// The AccessKey ID is not known to the checker.
    case unknownAccessKeyId
    /// The security token is missing, unexpected, or not the one issued with the key.
    case securityTokenMismatch
    /// `x-acs-content-sha256` is not the SHA-256 of the body.
    case contentHashMismatch
    /// `Timestamp` / `x-acs-date` is not `yyyy-MM-ddTHH:mm:ssZ`.
    case malformedTimestamp
    /// The timestamp is further from `now` than the allowed skew.
    case staleTimestamp
    /// The recomputed signature differs from the one sent.
    case signatureMismatch
}
