import Crypto

/// A V3 `ACS3-HMAC-SHA256` signature (docs/vod.md §4.3) with every intermediate string,
/// so a failing request can be compared step by step.
public struct V3Signature: Sendable, Hashable {
    /// The algorithm name that starts the string to sign and the `Authorization` header.
    public static let algorithm = "ACS3-HMAC-SHA256"
    /// The hashed payload of an empty body: hex SHA-256 of no bytes.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// `CanonicalQueryString`: sorted `enc(name)=enc(value)` joined by `&`; `""` if none.
    public let canonicalQuery: String
    /// `CanonicalHeaders`: each `name:value\n`, names lower-cased, values trimmed, sorted by name.
    public let canonicalHeaders: String
    /// `SignedHeaders`: the lower-cased names joined by `;`.
    public let signedHeaders: String
    /// `HashedRequestPayload`: lower-case hex SHA-256 of the body.
    public let hashedPayload: String
    /// `METHOD\nURI\nQuery\nCanonicalHeaders\nSignedHeaders\nHashedRequestPayload`.
    public let canonicalRequest: String
    /// Lower-case hex SHA-256 of ``canonicalRequest``.
    public let hashedCanonicalRequest: String
    /// `ACS3-HMAC-SHA256\n` + ``hashedCanonicalRequest``.
    public let stringToSign: String
    /// Lower-case hex `HMAC-SHA256(key: secret, stringToSign)`: no `&` on the key, unlike RPC.
    public let signature: String
    /// The whole `Authorization` value: `ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<…>,Signature=<…>`.
    public let authorization: String

    /// Signs a request. Every header in `headers` is signed; pass unsigned ones (`accept`) separately
    /// when sending. `path` is the canonical URI as sent, `/` for VOD.
    public init(
        method: String, path: String, query: [ACSQueryItem], headers: [ACSHeader],
        body: [UInt8] = [], accessKeyId: String, accessKeySecret: String
    ) {
        canonicalQuery = ACSPercentEncoding.canonicalQuery(query)
        (canonicalHeaders, signedHeaders) = Self.canonicalHeaders(headers)
        hashedPayload = Self.hashedPayload(body)
        canonicalRequest = Self.canonicalRequest(
            method: method, path: path, canonicalQuery: canonicalQuery, canonicalHeaders: canonicalHeaders,
            signedHeaders: signedHeaders, hashedPayload: hashedPayload)
        hashedCanonicalRequest = Hex.encode(SHA256.hash(data: Array(canonicalRequest.utf8)))
        stringToSign = Self.algorithm + "\n" + hashedCanonicalRequest
        signature = Self.signature(stringToSign: stringToSign, accessKeySecret: accessKeySecret)
        authorization = Self.authorization(
            accessKeyId: accessKeyId, signedHeaders: signedHeaders,
            signature: signature)
    }

    /// Canonical headers and the signed-header list. Names are lower-cased and sorted byte-wise,
    /// values trimmed of surrounding whitespace; a name given twice keeps both values, joined by `,`
    /// in the order given (as HTTP folds repeated fields).
    public static func canonicalHeaders(_ headers: [ACSHeader]) -> (canonical: String, signed: String) {
        var values: [String: [String]] = [:]
        for header in headers {
            values[header.name.lowercased(), default: []].append(trimmed(header.value))
        }
        let names = values.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let canonical = names.map { "\($0):\(values[$0, default: []].joined(separator: ","))\n" }.joined()
        return (canonical, names.joined(separator: ";"))
    }

    /// Lower-case hex SHA-256 of `body`.
    public static func hashedPayload(_ body: [UInt8]) -> String {
        Hex.encode(SHA256.hash(data: body))
    }

    /// Joins the parts with `\n`; the headers block already ends in `\n`, hence the blank line.
    public static func canonicalRequest(
        method: String, path: String, canonicalQuery: String,
        canonicalHeaders: String, signedHeaders: String,
        hashedPayload: String
    ) -> String {
        [method, path, canonicalQuery, canonicalHeaders, signedHeaders, hashedPayload].joined(separator: "\n")
    }

    /// Lower-case hex `HMAC-SHA256(key: accessKeySecret, stringToSign)`.
    public static func signature(stringToSign: String, accessKeySecret: String) -> String {
        Hex.encode(
            HMAC<SHA256>.authenticationCode(
                for: Array(stringToSign.utf8), using: hmacKey(accessKeySecret: accessKeySecret)))
    }

    /// `ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<…>,Signature=<…>`, no spaces after commas.
    public static func authorization(accessKeyId: String, signedHeaders: String, signature: String) -> String {
        "\(algorithm) Credential=\(accessKeyId),SignedHeaders=\(signedHeaders),Signature=\(signature)"
    }

    /// The HMAC key: the secret's bytes as they are.
    static func hmacKey(accessKeySecret: String) -> SymmetricKey {
        SymmetricKey(data: Array(accessKeySecret.utf8))
    }

    /// Trims spaces, tabs, CR and LF at both ends, as the SDKs' `trim()` does for header values.
    static func trimmed(_ value: String) -> String {
        let isBlank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        let bytes = Array(value.utf8)
        guard let first = bytes.firstIndex(where: { !isBlank($0) }),
            let last = bytes.lastIndex(where: { !isBlank($0) })
        else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}

extension V3Signature: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Signed header names and the signature only: the canonical request may carry the STS token
    /// and the `Authorization` value names the key ID.
    public var description: String {
        "V3Signature(signedHeaders: \(signedHeaders), signature: \(signature))"
    }

    /// The same redacted text as ``description``.
    public var debugDescription: String { description }

    /// A mirror without the canonical strings, which may contain credentials.
    public var customMirror: Mirror {
        Mirror(self, children: ["redacted": description], displayStyle: .struct)
    }
}
