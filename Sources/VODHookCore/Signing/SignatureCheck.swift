import Crypto

/// The server side of signing, for a fake VOD: recomputes a received request's signature in
/// whichever style it carries and refuses any mismatch, as VOD would.
///
/// Pure: the caller supplies the key lookup and, optionally, the current time for the skew check.
/// Nonce replay needs state, so it is left to the caller (the nonce is in the result).
public enum SignatureCheck {
    /// VOD refuses timestamps more than 15 minutes off (`InvalidTimeStamp.Expired`).
    public static let defaultMaxSkewSeconds: Int64 = 15 * 60

    /// Checks `request` in the style it was signed in.
    ///
    /// - Parameters:
    ///   - now: the current epoch seconds; `nil` skips the timestamp-skew check.
    ///   - maxSkewSeconds: how far the signed timestamp may be from `now`, either way.
    ///   - credentials: looks up the issued credentials by AccessKey ID; `nil` if unknown.
    ///     A token on the credentials must be sent and signed; none means none may be sent.
    /// - Returns: the verified identity, action, nonce and timestamp.
    /// - Throws: the first reason for refusal.
    public static func verify(
        _ request: ReceivedRequest, now: Int64? = nil,
        maxSkewSeconds: Int64 = defaultMaxSkewSeconds,
        credentials: (_ accessKeyId: String) -> ACSCredentials?
    )
        throws(SignatureCheckError) -> VerifiedSignature
    {
        switch try style(of: request) {
        case .v3: try verifyV3(request, now: now, maxSkewSeconds: maxSkewSeconds, credentials: credentials)
        case .rpc: try verifyRPC(request, now: now, maxSkewSeconds: maxSkewSeconds, credentials: credentials)
        }
    }

    /// Whether `request` is correctly signed with `credentials` (no timestamp-skew check).
    public static func matches(_ request: ReceivedRequest, credentials: ACSCredentials) -> Bool {
        do {
            let verified = try verify(request) { $0 == credentials.accessKeyId ? credentials : nil }
            return verified.accessKeyId == credentials.accessKeyId
        } catch {
            return false
        }
    }

    /// The style `request` claims: V3 if it has an `Authorization` header, RPC if it has a
    /// `Signature` parameter.
    public static func style(of request: ReceivedRequest) throws(SignatureCheckError) -> SigningStyle {
        if request.headers.contains(where: { $0.name.lowercased() == "authorization" }) { return .v3 }
        if request.queryItems.contains(where: { $0.name == RPCSignature.signatureParameter }) { return .rpc }
        throw .missingSignature
    }

    /// Parses a signed timestamp and, when `now` is given, refuses one outside the skew.
    static func checkedTimestamp(_ text: String, now: Int64?, maxSkewSeconds: Int64)
        throws(SignatureCheckError) -> ACSTimestamp
    {
        guard let timestamp = ACSTimestamp(text) else { throw .malformedTimestamp }
        if let now {
            let (delta, overflow) = now.subtractingReportingOverflow(timestamp.epochSeconds)
            // An overflow means `now` is absurdly far away: stale either way.
            guard !overflow, delta.magnitude <= maxSkewSeconds.magnitude else { throw .staleTimestamp }
        }
        return timestamp
    }

    /// Refuses a token that differs from the issued one, comparing digests so that the time taken
    /// does not reveal how much of a guessed token was right.
    static func checkToken(sent: String?, issued: String?) throws(SignatureCheckError) {
        switch (sent, issued) {
        case (nil, nil):
            return
        case (let sent?, let issued?):
            guard SHA256.hash(data: Array(sent.utf8)) == SHA256.hash(data: Array(issued.utf8)) else {
                throw .securityTokenMismatch
            }
        default:
            throw .securityTokenMismatch
        }
    }
}
