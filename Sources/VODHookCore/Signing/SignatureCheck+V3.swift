import Crypto

extension SignatureCheck {
    /// The headers every V3 call must sign.
    public static let requiredV3Headers = [
        "host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version",
    ]

    /// Checks a V3 (`ACS3-HMAC-SHA256`) signature carried in the `Authorization` header.
    ///
    /// Refuses repeated headers, an `Authorization` not in exactly the signer's form, a required or
    /// `x-acs-*`/`content-type` header left unsigned, a listed header not sent, an
    /// `x-acs-content-sha256` that is not the body's hash, and any difference in the signature.
    public static func verifyV3(
        _ request: ReceivedRequest, now: Int64? = nil,
        maxSkewSeconds: Int64 = defaultMaxSkewSeconds,
        credentials: (_ accessKeyId: String) -> ACSCredentials?
    )
        throws(SignatureCheckError) -> VerifiedSignature
    {
        var headers: [String: ACSHeader] = [:]
        for header in request.headers {
            let name = header.name.lowercased()
            guard headers.updateValue(header, forKey: name) == nil else { throw .duplicateField(name) }
        }
        guard let authorization = headers["authorization"]?.value else { throw .missingSignature }
        let parsed = try parseAuthorization(authorization)

        for name in headers.keys where name == "host" || name == "content-type" || name.hasPrefix("x-acs-") {
            guard parsed.signedHeaders.contains(name) else { throw .unsignedHeader(name) }
        }
        for name in requiredV3Headers {
            guard let value = headers[name]?.value, !value.isEmpty else { throw .missingField(name) }
        }
        var signed: [ACSHeader] = []
        for name in parsed.signedHeaders {
            guard let header = headers[name] else { throw .missingField(name) }
            signed.append(header)
        }
        func value(_ name: String) -> String { headers[name]?.value ?? "" }

        guard value("x-acs-content-sha256") == V3Signature.hashedPayload(request.body) else {
            throw .contentHashMismatch
        }
        let timestamp = try checkedTimestamp(value("x-acs-date"), now: now, maxSkewSeconds: maxSkewSeconds)
        guard let issued = credentials(parsed.accessKeyId) else { throw .unknownAccessKeyId }
        try checkToken(sent: headers["x-acs-security-token"]?.value, issued: issued.securityToken)

        let expected = V3Signature(
            method: request.method, path: request.path, query: request.queryItems,
            headers: signed, body: request.body, accessKeyId: parsed.accessKeyId,
            accessKeySecret: issued.accessKeySecret)
        // HMAC's own check compares in constant time.
        guard
            HMAC<SHA256>.isValidAuthenticationCode(
                parsed.signature, authenticating: Array(expected.stringToSign.utf8),
                using: V3Signature.hmacKey(accessKeySecret: issued.accessKeySecret))
        else { throw .signatureMismatch }

        return VerifiedSignature(
            style: .v3, accessKeyId: parsed.accessKeyId, action: value("x-acs-action"),
            version: value("x-acs-version"), nonce: value("x-acs-signature-nonce"), timestamp: timestamp,
            parameters: request.queryItems.sorted(by: ACSQueryItem.canonicalOrder))
    }

    /// Splits `ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<a;b>,Signature=<hex>`, in exactly
    /// that order and spacing, with lower-case, strictly sorted header names and 64 lower-case hex digits.
    private static func parseAuthorization(_ value: String)
        throws(SignatureCheckError) -> (accessKeyId: String, signedHeaders: [String], signature: [UInt8])
    {
        let prefix = V3Signature.algorithm + " "
        // Another scheme (an older `acs <id>:<sig>`, a bearer token) is not a broken V3 header.
        guard value.hasPrefix(prefix) else { throw .unsupportedSignatureMethod }
        let parts = value.dropFirst(prefix.count).split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 3,
            parts[0].hasPrefix("Credential="), parts[1].hasPrefix("SignedHeaders="),
            parts[2].hasPrefix("Signature=")
        else { throw .malformedSignature }
        let accessKeyId = String(parts[0].dropFirst("Credential=".count))
        let names = parts[1].dropFirst("SignedHeaders=".count)
            .split(separator: ";", omittingEmptySubsequences: false).map(String.init)
        let sortedAndUnique = zip(names, names.dropFirst()).allSatisfy { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        guard !accessKeyId.isEmpty, sortedAndUnique,
            names.allSatisfy({ !$0.isEmpty && $0 == $0.lowercased() }),
            let signature = Hex.decodeLowercase(String(parts[2].dropFirst("Signature=".count))),
            signature.count == SHA256.byteCount
        else { throw .malformedSignature }
        return (accessKeyId, names, signature)
    }
}
