/// Why ``ACSRequest/signed(credentials:style:timestamp:nonce:)`` refused to build a request.
public enum ACSSigningError: Error, Sendable, Hashable {
    /// An operation parameter uses a name the signer sets itself (`Action`, `Signature`, …).
    case reservedParameterName(String)
    /// An operation parameter name appears twice.
    case duplicateParameterName(String)
    /// The signature nonce is empty; VOD requires a unique one per request.
    case emptyNonce
}
