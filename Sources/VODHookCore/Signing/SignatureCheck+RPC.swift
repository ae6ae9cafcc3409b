import Crypto

extension SignatureCheck {
    /// Checks an RPC (`HMAC-SHA1`, `1.0`) signature carried in the query.
    ///
    /// Refuses repeated parameters, a missing `AccessKeyId`, `Action`, `Version`, `SignatureNonce`
    /// or `Timestamp`, another `SignatureMethod`/`SignatureVersion`, a Base64 signature not in
    /// canonical form, and any difference in the recomputed `Signature`. This style signs the
    /// method and the query only: headers, path and body are not covered, so changes there do not
    /// fail this check. (Form-body parameters, which RPC also allows, are not read.)
    public static func verifyRPC(
        _ request: ReceivedRequest, now: Int64? = nil,
        maxSkewSeconds: Int64 = defaultMaxSkewSeconds,
        credentials: (_ accessKeyId: String) -> ACSCredentials?
    )
        throws(SignatureCheckError) -> VerifiedSignature
    {
        var values: [String: String] = [:]
        for item in request.queryItems {
            // Which of two values would VOD sign? Neither: a repeat is refused outright.
            guard values.updateValue(item.value, forKey: item.name) == nil else {
                throw .duplicateField(item.name)
            }
        }
        func required(_ name: String) throws(SignatureCheckError) -> String {
            guard let value = values[name], !value.isEmpty else { throw .missingField(name) }
            return value
        }
        guard let sentSignature = values[RPCSignature.signatureParameter], !sentSignature.isEmpty else {
            throw .missingSignature
        }
        guard try required("SignatureMethod") == RPCSignature.signatureMethod,
            try required("SignatureVersion") == RPCSignature.signatureVersion
        else { throw .unsupportedSignatureMethod }
        let accessKeyId = try required("AccessKeyId")
        let action = try required("Action")
        let version = try required("Version")
        let nonce = try required("SignatureNonce")
        let timestamp = try checkedTimestamp(try required("Timestamp"), now: now, maxSkewSeconds: maxSkewSeconds)

        guard let issued = credentials(accessKeyId) else { throw .unknownAccessKeyId }
        try checkToken(sent: values["SecurityToken"], issued: issued.securityToken)

        guard let sentBytes = ACSBase64.decode(sentSignature) else { throw .malformedSignature }
        let expected = RPCSignature(
            method: request.method, parameters: request.queryItems,
            accessKeySecret: issued.accessKeySecret)
        // HMAC's own check compares in constant time.
        guard
            HMAC<Insecure.SHA1>.isValidAuthenticationCode(
                sentBytes, authenticating: Array(expected.stringToSign.utf8),
                using: RPCSignature.hmacKey(accessKeySecret: issued.accessKeySecret))
        else { throw .signatureMismatch }

        return VerifiedSignature(
            style: .rpc, accessKeyId: accessKeyId, action: action, version: version, nonce: nonce,
            timestamp: timestamp,
            parameters: expected.signedParameters.filter { !ACSRequest.reservedParameterNames.contains($0.name) })
    }
}
