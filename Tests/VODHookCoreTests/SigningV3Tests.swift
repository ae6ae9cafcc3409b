import Testing
import VODHookCore

@Suite struct SigningV3Tests {
    static let canonicalRequest = """
        POST
        /
        Config=%7B%22AIVideoTag%22%3A%20%7B%22AnalyseTypes%22%3A%20%22ASR%22%7D%7D&MediaId=3D3D12340d9401fab46a0b847%2A%2A%2A%2A&Types=AIVideoTag&UserData=%7B%22Extend%22%3A%7B%22localId%22%3A%22a%20b%2Ac~d%22%7D%7D
        host:vod.cn-shanghai.aliyuncs.com
        x-acs-action:SubmitAIJob
        x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
        x-acs-date:2026-11-24T12:00:00Z
        x-acs-signature-nonce:3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf
        x-acs-version:2017-03-21

        host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version
        e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
        """
    static let signedHeaders = "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version"

    private func vectorSignature() throws -> (SigningVectors.V3, V3Signature) {
        let vector = try SigningVectors.load().v3
        let signature = V3Signature(
            method: vector.method, path: vector.pathname,
            query: ACSQueryItem.items(vector.query), headers: vector.headerList,
            accessKeyId: vector.accessKeyId, accessKeySecret: vector.secret)
        return (vector, signature)
    }

    @Test("the v3 canonical request is byte for byte the one Alibaba's SDK makes (docs/vod.md §4.3)")
    func canonicalRequest() throws {
        let (_, signature) = try vectorSignature()
        #expect(signature.canonicalRequest == Self.canonicalRequest)
        #expect(signature.canonicalQuery == Self.canonicalRequest.split(separator: "\n")[2])
        #expect(signature.signedHeaders == Self.signedHeaders)
        #expect(signature.canonicalHeaders.hasSuffix("x-acs-version:2017-03-21\n"))
    }

    @Test("an empty body hashes to e3b0c442…b855")
    func emptyPayload() throws {
        let (_, signature) = try vectorSignature()
        #expect(signature.hashedPayload == V3Signature.emptyPayloadHash)
        #expect(V3Signature.hashedPayload([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            V3Signature.hashedPayload(Array("abc".utf8))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("the v3 canonical request hashes to d46da660… and the string to sign carries that hash")
    func hashedCanonicalRequest() throws {
        let (_, signature) = try vectorSignature()
        #expect(signature.hashedCanonicalRequest == "d46da66036180b51cb99b433d7bdd7a9a80bc2c04a6d857d49ac42ed743edad6")
        #expect(
            signature.stringToSign
                == "ACS3-HMAC-SHA256\nd46da66036180b51cb99b433d7bdd7a9a80bc2c04a6d857d49ac42ed743edad6")
    }

    @Test("the v3 signature and the full Authorization header match the vector")
    func authorization() throws {
        let (vector, signature) = try vectorSignature()
        #expect(signature.signature == "5f413c440facb552366b909248eaf4747242aa1e03de9fb63b55fd60b46f40b5")
        #expect(signature.authorization == vector.authorization)
        #expect(
            signature.authorization == "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=" + Self.signedHeaders
                + ",Signature=5f413c440facb552366b909248eaf4747242aa1e03de9fb63b55fd60b46f40b5")
    }

    @Test("the HMAC-SHA256 key is the bare secret, with no &")
    func keyHasNoAmpersand() throws {
        let (_, signature) = try vectorSignature()
        #expect(
            V3Signature.signature(stringToSign: signature.stringToSign, accessKeySecret: "testsecret&")
                != signature.signature)
    }

    @Test("header names are lower-cased, values trimmed, and the order given does not matter")
    func headerCanonicalization() throws {
        let (vector, signature) = try vectorSignature()
        let messy = vector.headerList.reversed().map {
            ACSHeader(name: $0.name.uppercased(), value: "  \t\($0.value) ")
        }
        let again = V3Signature(
            method: "POST", path: "/", query: ACSQueryItem.items(vector.query), headers: messy,
            accessKeyId: vector.accessKeyId, accessKeySecret: vector.secret)
        #expect(again.canonicalRequest == Self.canonicalRequest)
        #expect(again.signature == signature.signature)
    }

    @Test("a header given twice keeps both values in order, joined by a comma")
    func repeatedHeader() {
        let (canonical, signed) = V3Signature.canonicalHeaders([
            ACSHeader(name: "X-Acs-B", value: " 2 "), ACSHeader(name: "x-acs-a", value: "1"),
            ACSHeader(name: "x-acs-b", value: "3"),
        ])
        #expect(canonical == "x-acs-a:1\nx-acs-b:2,3\n")
        #expect(signed == "x-acs-a;x-acs-b")
    }

    @Test("no query gives an empty query line")
    func emptyQuery() {
        let signature = V3Signature(
            method: "POST", path: "/", query: [],
            headers: [ACSHeader(name: "host", value: "h")],
            accessKeyId: "id", accessKeySecret: "s")
        #expect(signature.canonicalRequest == "POST\n/\n\nhost:h\n\nhost\n" + V3Signature.emptyPayloadHash)
    }
}
