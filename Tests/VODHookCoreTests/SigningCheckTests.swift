import Testing
import VODHookCore

@Suite struct SigningCheckTests {
    static let credentials = ACSCredentials(accessKeyId: "testid", accessKeySecret: "testsecret")
    static let sts = ACSCredentials(
        accessKeyId: "STS.testid", accessKeySecret: "stssecret",
        securityToken: "CAIS-token/with+odd=chars")
    static let epoch: Int64 = 1_795_521_600  // 2026-11-24T12:00:00Z

    /// One change to a signed request, and the refusal it must cause.
    enum Mutation: String, CaseIterable, CustomTestStringConvertible {
        case paramValue, addParam, removeParam, secret, nonce, timestamp, action, host, method, signature
        case path, body, dropSignedHeader, unsignedHeader, accessKeyId, duplicateParam, version

        var testDescription: String { rawValue }
    }

    private func received(_ credentials: ACSCredentials, _ style: SigningStyle) throws -> ReceivedRequest {
        let request = ACSRequest(
            action: "SubmitAIJob", host: "vod.cn-shanghai.aliyuncs.com",
            parameters: ["MediaId": "m 1*", "Types": "AIVideoTag,AIMediaDNA"])
        let signed = try request.signed(
            credentials: credentials, style: style,
            timestamp: ACSTimestamp(epochSeconds: Self.epoch), nonce: "nonce-1")
        return try #require(ReceivedRequest(signed))
    }

    private func verify(
        _ request: ReceivedRequest, issued: ACSCredentials = Self.credentials,
        now: Int64? = nil
    ) throws(SignatureCheckError) -> VerifiedSignature {
        try SignatureCheck.verify(request, now: now) { $0 == issued.accessKeyId ? issued : nil }
    }

    @Test(
        "a request signed in either style verifies, and the check reports who, what and which nonce",
        arguments: SigningStyle.allCases)
    func roundTrip(style: SigningStyle) throws {
        let request = try received(Self.credentials, style)
        #expect(try SignatureCheck.style(of: request) == style)
        let verified = try verify(request, now: Self.epoch)
        #expect(verified.style == style)
        #expect(verified.accessKeyId == "testid")
        #expect(verified.action == "SubmitAIJob")
        #expect(verified.version == "2017-03-21")
        #expect(verified.nonce == "nonce-1")
        #expect(verified.timestamp.epochSeconds == Self.epoch)
        #expect(
            verified.parameters == [
                ACSQueryItem(name: "MediaId", value: "m 1*"), ACSQueryItem(name: "Types", value: "AIVideoTag,AIMediaDNA"),
            ])
        #expect(SignatureCheck.matches(request, credentials: Self.credentials))
    }

    @Test("the published vectors verify as VOD would accept them")
    func vectorsVerify() throws {
        let vectors = try SigningVectors.load()
        let rpc = ReceivedRequest(
            method: vectors.rpc.method, path: "/",
            queryItems: ACSQueryItem.items(vectors.rpc.params)
                + [ACSQueryItem(name: "Signature", value: vectors.rpc.signature)],
            headers: [])
        #expect(try verify(rpc).style == .rpc)
        let v3 = ReceivedRequest(
            method: vectors.v3.method, path: vectors.v3.pathname, queryItems: ACSQueryItem.items(vectors.v3.query),
            headers: vectors.v3.headerList + [
                ACSHeader(name: "Authorization", value: vectors.v3.authorization),
                ACSHeader(name: "Accept", value: "application/json"),
            ])
        #expect(try verify(v3).style == .v3)
    }

    @Test(
        "any single change to a signed request fails verification",
        arguments: SigningStyle.allCases, Mutation.allCases)
    func mutation(style: SigningStyle, mutation: Mutation) throws {
        var request = try received(Self.credentials, style)
        var issued = Self.credentials
        var expected = SignatureCheckError.signatureMismatch
        let isV3 = style == .v3
        switch mutation {
        case .paramValue: request.setQuery("MediaId", "m 2*")
        case .addParam: request.queryItems.append(ACSQueryItem(name: "Extra", value: "1"))
        case .removeParam: request.queryItems.removeAll { $0.name == "Types" }
        case .secret: issued.accessKeySecret = "testsecreT"
        case .nonce: isV3 ? request.setHeader("x-acs-signature-nonce", "nonce-2") : request.setQuery("SignatureNonce", "nonce-2")
        case .timestamp:
            isV3 ? request.setHeader("x-acs-date", "2026-11-24T12:00:01Z") : request.setQuery("Timestamp", "2026-11-24T12:00:01Z")
        case .action: isV3 ? request.setHeader("x-acs-action", "ListAIJob") : request.setQuery("Action", "ListAIJob")
        case .version: isV3 ? request.setHeader("x-acs-version", "2017-03-22") : request.setQuery("Version", "2017-03-22")
        case .host:
            // RPC signs no headers, so only the query can change what it covers.
            isV3 ? request.setHeader("host", "vod.cn-beijing.aliyuncs.com") : request.setQuery("Format", "XML")
        case .method: request.method = "GET"
        case .signature:
            if isV3 {
                let value = request.headers.first { $0.name == "authorization" }?.value ?? ""
                request.setHeader("authorization", String(value.dropLast()) + (value.hasSuffix("0") ? "1" : "0"))
            } else {
                let value = request.queryItems.first { $0.name == "Signature" }?.value ?? ""
                request.setQuery("Signature", (value.hasPrefix("A") ? "B" : "A") + value.dropFirst())
            }
        case .path:
            if isV3 { request.path = "/x" } else { request.setQuery("Types", "AIVideoTag") }
        case .body:
            if isV3 {
                request.body = [0x7B, 0x7D]
                expected = .contentHashMismatch
            } else {
                request.setQuery("MediaId", "m%201*")
            }
        case .dropSignedHeader:
            if isV3 {
                request.headers.removeAll { $0.name == "x-acs-date" }
                expected = .missingField("x-acs-date")
            } else {
                request.queryItems.removeAll { $0.name == "Timestamp" }
                expected = .missingField("Timestamp")
            }
        case .unsignedHeader:
            if isV3 {
                request.headers.append(ACSHeader(name: "X-Acs-Extra", value: "1"))
                expected = .unsignedHeader("x-acs-extra")
            } else {
                request.setQuery("SignatureMethod", "HMAC-SHA256")
                expected = .unsupportedSignatureMethod
            }
        case .accessKeyId:
            if isV3 {
                let value = request.headers.first { $0.name == "authorization" }?.value ?? ""
                request.setHeader(
                    "authorization", value.replacing("Credential=testid", with: "Credential=otherid", maxReplacements: 1))
            } else {
                request.setQuery("AccessKeyId", "otherid")
            }
            expected = .unknownAccessKeyId
        case .duplicateParam:
            if isV3 {
                request.headers.append(ACSHeader(name: "X-ACS-DATE", value: "2026-11-24T12:00:00Z"))
                expected = .duplicateField("x-acs-date")
            } else {
                request.queryItems.append(ACSQueryItem(name: "MediaId", value: "m 1*"))
                expected = .duplicateField("MediaId")
            }
        }
        #expect(throws: expected) { try verify(request, issued: issued) }
        #expect(!SignatureCheck.matches(request, credentials: issued))
    }

    @Test(
        "an STS token is signed in both styles: the issued token verifies, a missing or other one does not",
        arguments: SigningStyle.allCases)
    func stsToken(style: SigningStyle) throws {
        let request = try received(Self.sts, style)
        #expect(try verify(request, issued: Self.sts).accessKeyId == "STS.testid")
        var withoutToken = Self.sts
        withoutToken.securityToken = nil
        #expect(throws: SignatureCheckError.securityTokenMismatch) { try verify(request, issued: withoutToken) }
        var otherToken = Self.sts
        otherToken.securityToken = "CAIS-other"
        #expect(throws: SignatureCheckError.securityTokenMismatch) { try verify(request, issued: otherToken) }

        // A token edited on the wire (and re-issued to match) breaks the signature itself.
        var edited = request
        if style == .v3 {
            edited.setHeader("x-acs-security-token", "CAIS-other")
        } else {
            edited.setQuery("SecurityToken", "CAIS-other")
        }
        #expect(throws: SignatureCheckError.signatureMismatch) { try verify(edited, issued: otherToken) }

        // A request signed without a token is refused for a key issued with one.
        let plain = try received(withoutToken, style)
        #expect(throws: SignatureCheckError.securityTokenMismatch) { try verify(plain, issued: Self.sts) }
    }

    @Test("timestamps more than 15 minutes from now are refused, either way", arguments: SigningStyle.allCases)
    func skew(style: SigningStyle) throws {
        let request = try received(Self.credentials, style)
        #expect(throws: Never.self) { try verify(request, now: Self.epoch + 900) }
        #expect(throws: Never.self) { try verify(request, now: Self.epoch - 900) }
        #expect(throws: SignatureCheckError.staleTimestamp) { try verify(request, now: Self.epoch + 901) }
        #expect(throws: SignatureCheckError.staleTimestamp) { try verify(request, now: Self.epoch - 901) }
        #expect(throws: SignatureCheckError.staleTimestamp) { try verify(request, now: .min) }
    }

    @Test(
        "a timestamp not in yyyy-MM-ddTHH:mm:ssZ is refused before the signature is checked",
        arguments: SigningStyle.allCases)
    func malformedTimestamp(style: SigningStyle) throws {
        var request = try received(Self.credentials, style)
        if style == .v3 {
            request.setHeader("x-acs-date", "2026-11-24T12:00:00+00:00")
        } else {
            request.setQuery("Timestamp", "2026-11-24T12:00:00.000Z")
        }
        #expect(throws: SignatureCheckError.malformedTimestamp) { try verify(request) }
    }

    @Test(
        "an unsigned request, another scheme, or a badly shaped signature is refused",
        arguments: [
            ("missing", SignatureCheckError.missingSignature),
            ("Bearer abc", .unsupportedSignatureMethod),
            ("ACS3-HMAC-SHA256 Credential=testid, SignedHeaders=host,Signature=00", .malformedSignature),
            ("ACS3-HMAC-SHA256 SignedHeaders=host,Credential=testid,Signature=00", .malformedSignature),
            (
                "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=x-acs-date;host,Signature=" + String(repeating: "0", count: 64),
                .malformedSignature
            ),
            (
                "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=Host,Signature=" + String(repeating: "0", count: 64),
                .malformedSignature
            ),
            (
                "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host,Signature=" + String(repeating: "A", count: 64),
                .malformedSignature
            ),
            (
                "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host,Signature=" + String(repeating: "0", count: 62),
                .malformedSignature
            ),
        ] as [(String, SignatureCheckError)])
    func badAuthorization(authorization: String, expected: SignatureCheckError) throws {
        var request = try received(Self.credentials, .v3)
        if authorization == "missing" {
            request.headers.removeAll { $0.name == "authorization" }
        } else {
            request.setHeader("authorization", authorization)
        }
        #expect(throws: expected) { try verify(request) }
    }

    @Test(
        "an RPC signature in another Base64 spelling is refused",
        arguments: [
            "c-cHVa91ufzypca1zDX14K8xxaI=", "c+cHVa91ufzypca1zDX14K8xxaI", "c+cHVa91ufzypca1zDX14K8xxaJ=", "",
        ])
    func rpcSignatureShape(signature: String) throws {
        var request = try received(Self.credentials, .rpc)
        request.setQuery("Signature", signature)
        let expected: SignatureCheckError = signature.isEmpty ? .missingSignature : .malformedSignature
        #expect(throws: expected) { try verify(request) }
    }
}

extension ReceivedRequest {
    /// Replaces the value of every query item named `name`.
    fileprivate mutating func setQuery(_ name: String, _ value: String) {
        queryItems = queryItems.map { $0.name == name ? ACSQueryItem(name: name, value: value) : $0 }
    }

    /// Replaces the value of every header named `name` (case-insensitively).
    fileprivate mutating func setHeader(_ name: String, _ value: String) {
        headers = headers.map { $0.name.lowercased() == name ? ACSHeader(name: $0.name, value: value) : $0 }
    }
}
