import Testing
import VODHookCore

@Suite struct SigningRedactionTests {
    static let credentials = ACSCredentials(
        accessKeyId: "LTAI5tKeyIdValue", accessKeySecret: "SuperSecretValue",
        securityToken: "CAISTokenValue")
    static let secrets = ["LTAI5tKeyIdValue", "SuperSecretValue", "CAISTokenValue"]

    /// Every string form a value can end up in: interpolation, debug, `dump`.
    private func stringForms(_ value: some Any) -> [String] {
        var dumped = ""
        dump(value, to: &dumped)
        return [String(describing: value), String(reflecting: value), "\(value)", dumped]
    }

    private func expectRedacted(_ value: some Any, _ comment: Comment) {
        for form in stringForms(value) {
            for secret in Self.secrets {
                #expect(!form.contains(secret), comment)
            }
        }
    }

    @Test("credentials never appear in the string forms of the credentials")
    func credentials() {
        expectRedacted(Self.credentials, "ACSCredentials")
        #expect(Self.credentials.description.contains("<redacted>"))
        #expect(ACSCredentials(accessKeyId: "a", accessKeySecret: "b").description.contains("securityToken: nil"))
    }

    @Test(
        "credentials never appear in the string forms of signed, received or verified requests",
        arguments: SigningStyle.allCases)
    func requests(style: SigningStyle) throws {
        let signed = try ACSRequest(
            action: "SubmitAIJob", host: "vod.cn-shanghai.aliyuncs.com",
            parameters: ["MediaId": "m"]
        )
        .signed(
            credentials: Self.credentials, style: style,
            timestamp: ACSTimestamp(epochSeconds: 1_795_521_600), nonce: "n")
        // The values really are inside, so the redaction is doing something.
        #expect(signed.query.contains("CAISTokenValue") || signed.headers.contains { $0.value == "CAISTokenValue" })
        expectRedacted(signed, "SignedRequest")
        let received = try #require(ReceivedRequest(signed))
        expectRedacted(received, "ReceivedRequest")
        let verified = try SignatureCheck.verify(received) { _ in Self.credentials }
        expectRedacted(verified, "VerifiedSignature")
    }

    @Test("credentials never appear in the string forms of the signatures' intermediates")
    func intermediates() {
        let rpc = RPCSignature(
            method: "POST",
            parameters: [
                ACSQueryItem(name: "AccessKeyId", value: "LTAI5tKeyIdValue"),
                ACSQueryItem(name: "SecurityToken", value: "CAISTokenValue"),
            ], accessKeySecret: "SuperSecretValue")
        expectRedacted(rpc, "RPCSignature")
        let v3 = V3Signature(
            method: "POST", path: "/", query: [],
            headers: [ACSHeader(name: "x-acs-security-token", value: "CAISTokenValue")],
            accessKeyId: "LTAI5tKeyIdValue", accessKeySecret: "SuperSecretValue")
        expectRedacted(v3, "V3Signature")
    }
}
