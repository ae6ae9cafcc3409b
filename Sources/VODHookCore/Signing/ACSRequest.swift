/// An unsigned VOD (or other ACS RPC-style API) call: the action, its version, the endpoint host
/// and the operation's own parameters. ``signed(credentials:style:timestamp:nonce:)`` turns it into
/// the exact bytes to send.
public struct ACSRequest: Sendable, Hashable {
    /// The VOD API version this project targets.
    public static let vodAPIVersion = "2017-03-21"
    /// Names the signer sets itself in either style; operation parameters may not use them.
    public static let reservedParameterNames: Set<String> = [
        "AccessKeyId", "Action", "Format", "Version", "SignatureMethod", "SignatureVersion",
        "SignatureNonce", "Timestamp", "SecurityToken", "Signature",
    ]

    /// The API action, e.g. `SubmitAIJob`.
    public var action: String
    /// The API version, e.g. `2017-03-21`.
    public var version: String
    /// The endpoint host, e.g. `vod.cn-shanghai.aliyuncs.com`.
    public var host: String
    /// The operation's own parameters (decoded), e.g. `MediaId`, `Types`, `Config`, `UserData`.
    public var parameters: [ACSQueryItem]

    /// Creates a call; `version` defaults to VOD's `2017-03-21`.
    public init(
        action: String, version: String = ACSRequest.vodAPIVersion, host: String,
        parameters: [ACSQueryItem] = []
    ) {
        self.action = action
        self.version = version
        self.host = host
        self.parameters = parameters
    }

    /// Creates a call from a dictionary of operation parameters.
    public init(
        action: String, version: String = ACSRequest.vodAPIVersion, host: String,
        parameters: [String: String]
    ) {
        self.init(action: action, version: version, host: host, parameters: ACSQueryItem.items(parameters))
    }

    /// Signs the call as `POST /` with an empty body.
    ///
    /// - V3: the operation parameters form the query; `host`, `x-acs-action`, `x-acs-version`,
    ///   `x-acs-date`, `x-acs-signature-nonce`, `x-acs-content-sha256` (and `x-acs-security-token`
    ///   with STS) are signed; `authorization` and an unsigned `accept: application/json` follow.
    /// - RPC: the common parameters (`Format=JSON`, `SecurityToken` with STS, …) join the operation
    ///   parameters in the query, `Signature` last; headers are `host` and `accept`.
    ///
    /// Pure: the same inputs give the same request. `nonce` must be unique per request.
    public func signed(
        credentials: ACSCredentials, style: SigningStyle = .v3, timestamp: ACSTimestamp,
        nonce: String
    ) throws(ACSSigningError) -> SignedRequest {
        try validate(nonce: nonce)
        switch style {
        case .v3: return signedV3(credentials: credentials, timestamp: timestamp, nonce: nonce)
        case .rpc: return signedRPC(credentials: credentials, timestamp: timestamp, nonce: nonce)
        }
    }

    private func validate(nonce: String) throws(ACSSigningError) {
        guard !nonce.isEmpty else { throw .emptyNonce }
        var seen: Set<String> = []
        for item in parameters {
            // Reserved in both styles so that a call valid in one is valid in the other.
            guard !Self.reservedParameterNames.contains(item.name) else { throw .reservedParameterName(item.name) }
            guard seen.insert(item.name).inserted else { throw .duplicateParameterName(item.name) }
        }
    }

    private func signedV3(credentials: ACSCredentials, timestamp: ACSTimestamp, nonce: String) -> SignedRequest {
        var headers = [
            ACSHeader(name: "host", value: host),
            ACSHeader(name: "x-acs-action", value: action),
            ACSHeader(name: "x-acs-version", value: version),
            ACSHeader(name: "x-acs-date", value: timestamp.text),
            ACSHeader(name: "x-acs-signature-nonce", value: nonce),
            ACSHeader(name: "x-acs-content-sha256", value: V3Signature.emptyPayloadHash),
        ]
        if let token = credentials.securityToken {
            headers.append(ACSHeader(name: "x-acs-security-token", value: token))
        }
        let signature = V3Signature(
            method: "POST", path: "/", query: parameters, headers: headers, body: [],
            accessKeyId: credentials.accessKeyId,
            accessKeySecret: credentials.accessKeySecret)
        headers.append(ACSHeader(name: "authorization", value: signature.authorization))
        headers.append(ACSHeader(name: "accept", value: "application/json"))
        return SignedRequest(
            style: .v3, method: "POST", host: host, path: "/",
            query: signature.canonicalQuery, headers: headers, body: [])
    }

    private func signedRPC(credentials: ACSCredentials, timestamp: ACSTimestamp, nonce: String) -> SignedRequest {
        var common = [
            ACSQueryItem(name: "AccessKeyId", value: credentials.accessKeyId),
            ACSQueryItem(name: "Action", value: action),
            ACSQueryItem(name: "Format", value: "JSON"),
            ACSQueryItem(name: "Version", value: version),
            ACSQueryItem(name: "SignatureMethod", value: RPCSignature.signatureMethod),
            ACSQueryItem(name: "SignatureVersion", value: RPCSignature.signatureVersion),
            ACSQueryItem(name: "SignatureNonce", value: nonce),
            ACSQueryItem(name: "Timestamp", value: timestamp.text),
        ]
        if let token = credentials.securityToken {
            common.append(ACSQueryItem(name: "SecurityToken", value: token))
        }
        let signature = RPCSignature(
            method: "POST", parameters: common + parameters,
            accessKeySecret: credentials.accessKeySecret)
        let headers = [
            ACSHeader(name: "host", value: host),
            ACSHeader(name: "accept", value: "application/json"),
        ]
        return SignedRequest(
            style: .rpc, method: "POST", host: host, path: "/",
            query: signature.encodedQuery, headers: headers, body: [])
    }
}
