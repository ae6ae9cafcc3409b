import Testing
import VODHookCore

@Suite struct SigningRPCTests {
    static let canonicalQuery =
        "AccessKeyId=testid&Action=SubmitAIJob&Config=%7B%22AIVideoTag%22%3A%20%7B%22AnalyseTypes%22%3A%20%22ASR%2COCR%22%7D%7D&Format=JSON&MediaId=3D3D12340d9401fab46a0b847%2A%2A%2A%2A&SignatureMethod=HMAC-SHA1&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0&Timestamp=2026-11-24T12%3A00%3A00Z&Types=AIVideoTag%2CAIMediaDNA&UserData=%7B%22Extend%22%3A%7B%22localId%22%3A%22a%20b%2Ac~d%22%2C%22note%22%3A%22%E4%B8%AD%E6%96%87%22%7D%7D&Version=2017-03-21"

    private func vectorSignature() throws -> (SigningVectors.RPC, RPCSignature) {
        let vector = try SigningVectors.load().rpc
        let signature = RPCSignature(
            method: vector.method, parameters: ACSQueryItem.items(vector.params),
            accessKeySecret: vector.secret)
        return (vector, signature)
    }

    @Test("the rpc_v1 canonicalized query is byte for byte the one Alibaba's SDK makes (docs/vod.md §4.2)")
    func canonicalQuery() throws {
        let (_, signature) = try vectorSignature()
        #expect(signature.canonicalizedQuery == Self.canonicalQuery)
    }

    @Test("the rpc_v1 string to sign is METHOD&%2F& then the canonical query encoded again")
    func stringToSign() throws {
        let (_, signature) = try vectorSignature()
        #expect(
            signature.stringToSign.hasPrefix(
                "POST&%2F&AccessKeyId%3Dtestid%26Action%3DSubmitAIJob%26Config%3D%257B%2522AIVideoTag"))
        #expect(signature.stringToSign == "POST&%2F&" + ACSPercentEncoding.encode(Self.canonicalQuery))
        #expect(signature.stringToSign.contains("Timestamp%3D2026-11-24T12%253A00%253A00Z"))
    }

    @Test("the rpc_v1 signature is c+cHVa91ufzypca1zDX14K8xxaI= and is sent as c%2BcHVa91ufzypca1zDX14K8xxaI%3D")
    func signature() throws {
        let (vector, signature) = try vectorSignature()
        #expect(signature.signature == vector.signature)
        #expect(signature.signature == "c+cHVa91ufzypca1zDX14K8xxaI=")
        #expect(signature.encodedQuery == Self.canonicalQuery + "&Signature=c%2BcHVa91ufzypca1zDX14K8xxaI%3D")
        #expect(signature.parameters.last == ACSQueryItem(name: "Signature", value: "c+cHVa91ufzypca1zDX14K8xxaI="))
        #expect(signature.parameters.count == vector.params.count + 1)
    }

    @Test("the HMAC-SHA1 key is the secret followed by &")
    func keyHasAmpersand() throws {
        let (_, signature) = try vectorSignature()
        let withoutAmpersandStyle = RPCSignature.signature(
            stringToSign: signature.stringToSign,
            accessKeySecret: "testsecret&")
        #expect(withoutAmpersandStyle != signature.signature)  // "testsecret&&" is not the key
        #expect(
            RPCSignature.signature(stringToSign: signature.stringToSign, accessKeySecret: "testsecret")
                == "c+cHVa91ufzypca1zDX14K8xxaI=")
    }

    @Test("a Signature parameter passed in is never signed, and the parameter order given does not matter")
    func signatureIgnoredAndOrderFree() throws {
        let (vector, signature) = try vectorSignature()
        let shuffled =
            ACSQueryItem.items(vector.params).reversed()
            + [ACSQueryItem(name: "Signature", value: "stale")]
        let again = RPCSignature(method: "POST", parameters: Array(shuffled), accessKeySecret: vector.secret)
        #expect(again == signature)
    }

    @Test("no parameters still give a query with the signature alone")
    func emptyParameters() {
        let signature = RPCSignature(method: "GET", parameters: [], accessKeySecret: "s")
        #expect(signature.canonicalizedQuery == "")
        #expect(signature.stringToSign == "GET&%2F&")
        #expect(signature.encodedQuery.hasPrefix("Signature="))
    }
}
