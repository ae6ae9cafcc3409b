import Crypto

/// An RPC-style signature (`SignatureMethod=HMAC-SHA1`, `SignatureVersion=1.0`; docs/vod.md §4.2)
/// with every intermediate string, so a failing request can be compared step by step.
public struct RPCSignature: Sendable, Hashable {
    /// The value of `SignatureMethod`.
    public static let signatureMethod = "HMAC-SHA1"
    /// The value of `SignatureVersion`.
    public static let signatureVersion = "1.0"
    /// The name of the parameter that carries the signature (and is left out of what is signed).
    public static let signatureParameter = "Signature"

    /// The signed parameters (everything but `Signature`), in canonical order.
    public let signedParameters: [ACSQueryItem]
    /// `CanonicalizedQueryString`: sorted `enc(name)=enc(value)` joined by `&`.
    public let canonicalizedQuery: String
    /// `METHOD&%2F&enc(CanonicalizedQueryString)`.
    public let stringToSign: String
    /// `Base64(HMAC-SHA1(secret + "&", StringToSign))`, e.g. `c+cHVa91ufzypca1zDX14K8xxaI=`.
    public let signature: String

    /// Signs `parameters` (common and operation parameters together) for `method`.
    ///
    /// A `Signature` item among `parameters` is ignored: it is never part of what is signed.
    public init(method: String, parameters: [ACSQueryItem], accessKeySecret: String) {
        signedParameters = parameters.filter { $0.name != Self.signatureParameter }
            .sorted(by: ACSQueryItem.canonicalOrder)
        canonicalizedQuery = ACSPercentEncoding.canonicalQuery(signedParameters)
        stringToSign = Self.stringToSign(method: method, canonicalizedQuery: canonicalizedQuery)
        signature = Self.signature(stringToSign: stringToSign, accessKeySecret: accessKeySecret)
    }

    /// All parameters to send: the signed ones in canonical order, then `Signature`.
    public var parameters: [ACSQueryItem] {
        signedParameters + [ACSQueryItem(name: Self.signatureParameter, value: signature)]
    }

    /// The encoded query to send: the canonical query then `&Signature=enc(signature)`.
    public var encodedQuery: String {
        let signaturePair = "\(Self.signatureParameter)=\(ACSPercentEncoding.encode(signature))"
        return canonicalizedQuery.isEmpty ? signaturePair : canonicalizedQuery + "&" + signaturePair
    }

    /// `METHOD + "&" + enc("/") + "&" + enc(canonicalizedQuery)`, the method as given (`POST`).
    public static func stringToSign(method: String, canonicalizedQuery: String) -> String {
        method + "&" + ACSPercentEncoding.encode("/") + "&"
            + ACSPercentEncoding.encode(canonicalizedQuery)
    }

    /// `Base64(HMAC-SHA1(key: accessKeySecret + "&", stringToSign))`.
    public static func signature(stringToSign: String, accessKeySecret: String) -> String {
        let code = HMAC<Insecure.SHA1>.authenticationCode(
            for: Array(stringToSign.utf8), using: hmacKey(accessKeySecret: accessKeySecret))
        return ACSBase64.encode(code)
    }

    /// The HMAC key: the secret followed by `&` (the empty token-secret slot of OAuth 1, which this copies).
    static func hmacKey(accessKeySecret: String) -> SymmetricKey {
        SymmetricKey(data: Array((accessKeySecret + "&").utf8))
    }
}

extension RPCSignature: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Parameter names and the signature only: the values include `AccessKeyId` and `SecurityToken`.
    public var description: String {
        "RPCSignature(parameters: [\(signedParameters.map(\.name).joined(separator: ", "))], signature: \(signature))"
    }

    /// The same redacted text as ``description``.
    public var debugDescription: String { description }

    /// A mirror without the signed strings, which contain the credentials.
    public var customMirror: Mirror {
        Mirror(self, children: ["redacted": description], displayStyle: .struct)
    }
}
