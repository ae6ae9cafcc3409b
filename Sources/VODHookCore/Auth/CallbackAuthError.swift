/// Why a callback's signature headers were refused.
///
/// Free of HTTP: the server maps missing/malformed to 401 and stale/mismatch to 403.
/// The cases name the class of problem only, never the expected value.
public enum CallbackAuthError: Error, Equatable, Sendable {
    /// `X-VOD-TIMESTAMP` or `X-VOD-SIGNATURE` is absent.
    case missingHeader
    /// The timestamp is not a decimal integer of Unix seconds.
    case malformedTimestamp
    /// The signature is not 32 hexadecimal characters.
    case malformedSignature
    /// The timestamp is further from now than the allowed skew.
    case stale
    /// No configured (URL, key) pair produces this signature.
    case signatureMismatch

    /// A short reason, safe to send to the client and to log.
    public var reason: String {
        switch self {
        case .missingHeader: "missing X-VOD-TIMESTAMP or X-VOD-SIGNATURE header"
        case .malformedTimestamp: "X-VOD-TIMESTAMP is not an integer Unix time"
        case .malformedSignature: "X-VOD-SIGNATURE is not 32 hex characters"
        case .stale: "X-VOD-TIMESTAMP is outside the accepted time window"
        case .signatureMismatch: "X-VOD-SIGNATURE does not match"
        }
    }

    /// A stable machine label, for metrics dimensions and log metadata.
    public var label: String {
        switch self {
        case .missingHeader: "missing_header"
        case .malformedTimestamp: "malformed_timestamp"
        case .malformedSignature: "malformed_signature"
        case .stale: "stale"
        case .signatureMismatch: "signature_mismatch"
        }
    }
}
