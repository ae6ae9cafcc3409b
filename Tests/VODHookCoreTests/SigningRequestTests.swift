import Testing
import VODHookCore

@Suite struct SigningRequestTests {
    static let host = "vod.cn-shanghai.aliyuncs.com"
    static let nonce = "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"
    static let credentials = ACSCredentials(accessKeyId: "testid", accessKeySecret: "testsecret")
    static let sts = ACSCredentials(
        accessKeyId: "STS.testid", accessKeySecret: "testsecret",
        securityToken: "CAIS-token/with+odd=chars")

    private func timestamp() throws -> ACSTimestamp {
        try #require(ACSTimestamp("2026-11-24T12:00:00Z"))
    }

    @Test("a V3 request built from the v3 vector's inputs carries exactly the vector's Authorization")
    func v3FromVector() throws {
        let vector = try SigningVectors.load().v3
        let request = ACSRequest(action: "SubmitAIJob", host: Self.host, parameters: vector.query)
        let signed = try request.signed(credentials: Self.credentials, timestamp: try timestamp(), nonce: Self.nonce)
        #expect(signed.style == .v3)
        #expect(signed.method == "POST")
        #expect(signed.path == "/")
        #expect(signed.body.isEmpty)
        #expect(signed.query == SigningV3Tests.canonicalRequest.split(separator: "\n")[2])
        #expect(signed.header("Authorization") == vector.authorization)
        #expect(
            signed.headers.map(\.name) == [
                "host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce",
                "x-acs-content-sha256", "authorization", "accept",
            ])
        for (name, value) in vector.headers {
            #expect(signed.header(name) == value, "header \(name)")
        }
        #expect(signed.header("accept") == "application/json")
        #expect(signed.url() == "https://\(Self.host)/?" + signed.query)
    }

    @Test("an RPC request built from the rpc_v1 vector's inputs carries exactly the vector's Signature")
    func rpcFromVector() throws {
        let vector = try SigningVectors.load().rpc
        let operation = vector.params.filter { !ACSRequest.reservedParameterNames.contains($0.key) }
        let request = ACSRequest(action: "SubmitAIJob", host: Self.host, parameters: operation)
        let signed = try request.signed(
            credentials: Self.credentials, style: .rpc, timestamp: try timestamp(),
            nonce: Self.nonce)
        #expect(signed.style == .rpc)
        #expect(signed.method == "POST")
        #expect(signed.path == "/")
        #expect(signed.body.isEmpty)
        #expect(signed.query == SigningRPCTests.canonicalQuery + "&Signature=c%2BcHVa91ufzypca1zDX14K8xxaI%3D")
        #expect(signed.header("authorization") == nil)
        #expect(signed.header("host") == Self.host)
    }

    @Test("RPC puts every common parameter in the query")
    func rpcCommonParameters() throws {
        let request = ACSRequest(action: "SubmitAIJob", host: Self.host, parameters: ["MediaId": "m"])
        let signed = try request.signed(
            credentials: Self.credentials, style: .rpc, timestamp: try timestamp(),
            nonce: Self.nonce)
        let items = try #require(ACSPercentEncoding.decodeQuery(signed.query))
        let values = Dictionary(uniqueKeysWithValues: items.map { ($0.name, $0.value) })
        #expect(
            values == [
                "AccessKeyId": "testid", "Action": "SubmitAIJob", "Format": "JSON", "Version": "2017-03-21",
                "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0", "SignatureNonce": Self.nonce,
                "Timestamp": "2026-11-24T12:00:00Z", "MediaId": "m", "Signature": values["Signature", default: ""],
            ])
        #expect(items.last?.name == "Signature")
    }

    @Test("an STS token is sent and signed in both styles", arguments: SigningStyle.allCases)
    func stsToken(style: SigningStyle) throws {
        let request = ACSRequest(action: "SubmitAIJob", host: Self.host, parameters: ["MediaId": "m"])
        let signed = try request.signed(
            credentials: Self.sts, style: style, timestamp: try timestamp(),
            nonce: Self.nonce)
        switch style {
        case .v3:
            #expect(signed.header("x-acs-security-token") == "CAIS-token/with+odd=chars")
            #expect(signed.header("authorization")?.contains("x-acs-security-token") == true)
        case .rpc:
            let items = try #require(ACSPercentEncoding.decodeQuery(signed.query))
            #expect(items.contains(ACSQueryItem(name: "SecurityToken", value: "CAIS-token/with+odd=chars")))
            #expect(signed.query.contains("SecurityToken=CAIS-token%2Fwith%2Bodd%3Dchars"))
        }
        // Signed, not just sent: dropping the token from the credentials changes the signature.
        let unsigned = try request.signed(
            credentials: ACSCredentials(
                accessKeyId: "STS.testid",
                accessKeySecret: "testsecret"),
            style: style, timestamp: try timestamp(), nonce: Self.nonce)
        #expect(unsigned != signed)
    }

    @Test("V3 is the default style")
    func v3IsDefault() throws {
        let request = ACSRequest(action: "ListAIJob", host: Self.host, parameters: ["JobIds": "a,b"])
        let signed = try request.signed(credentials: Self.credentials, timestamp: try timestamp(), nonce: "n")
        #expect(signed.style == .v3)
        #expect(signed.query == "JobIds=a%2Cb")
        #expect(signed.header("x-acs-action") == "ListAIJob")
    }

    @Test("signing is pure: the same inputs give the same request, another nonce another signature")
    func deterministic() throws {
        let request = ACSRequest(action: "SubmitAIJob", host: Self.host, parameters: ["MediaId": "m"])
        for style in SigningStyle.allCases {
            let first = try request.signed(
                credentials: Self.credentials, style: style, timestamp: try timestamp(),
                nonce: "n1")
            let second = try request.signed(
                credentials: Self.credentials, style: style, timestamp: try timestamp(),
                nonce: "n1")
            let other = try request.signed(
                credentials: Self.credentials, style: style, timestamp: try timestamp(),
                nonce: "n2")
            #expect(first == second)
            #expect(first != other)
        }
    }

    @Test(
        "operation parameters may not reuse a name the signer sets",
        arguments: [
            "Action", "AccessKeyId", "Signature", "SecurityToken", "Timestamp", "SignatureNonce", "Format", "Version",
        ])
    func reservedNames(name: String) {
        let request = ACSRequest(
            action: "SubmitAIJob", host: Self.host,
            parameters: [ACSQueryItem(name: name, value: "x")])
        for style in SigningStyle.allCases {
            #expect(throws: ACSSigningError.reservedParameterName(name)) {
                try request.signed(
                    credentials: Self.credentials, style: style, timestamp: try timestamp(),
                    nonce: "n")
            }
        }
    }

    @Test("a repeated operation parameter and an empty nonce are refused")
    func otherRefusals() throws {
        let repeated = ACSRequest(
            action: "SubmitAIJob", host: Self.host,
            parameters: [
                ACSQueryItem(name: "MediaId", value: "a"), ACSQueryItem(name: "MediaId", value: "b"),
            ])
        #expect(throws: ACSSigningError.duplicateParameterName("MediaId")) {
            try repeated.signed(credentials: Self.credentials, timestamp: try timestamp(), nonce: "n")
        }
        let request = ACSRequest(action: "SubmitAIJob", host: Self.host)
        #expect(throws: ACSSigningError.emptyNonce) {
            try request.signed(credentials: Self.credentials, timestamp: try timestamp(), nonce: "")
        }
    }
}
