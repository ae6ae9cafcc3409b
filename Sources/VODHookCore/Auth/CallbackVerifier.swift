import Crypto

/// Checks VOD's callback signature: `md5(CallbackURL|X-VOD-TIMESTAMP|AuthKey)`, lowercase hex.
///
/// Every configured URL is tried with every key (rotation keeps two keys; per-job callback
/// overrides add URLs), and every candidate is computed and compared, so the time taken does
/// not depend on which pair matched or how many bytes of a wrong signature were right.
public struct CallbackVerifier: Sendable {
    /// The callback URLs exactly as configured in VOD, query string included.
    public let urls: [String]
    private let keys: [String]
    /// How far, in seconds, the timestamp may be from now in either direction.
    public let maxSkew: Int64

    /// - Parameters:
    ///   - urls: the URLs as configured in VOD, byte for byte.
    ///   - keys: every accepted AuthKey (old and new during a rotation).
    ///   - maxSkew: the accepted distance from now, in seconds.
    public init(urls: [String], keys: [String], maxSkew: Int64) {
        self.urls = urls
        self.keys = keys
        self.maxSkew = maxSkew
    }

    /// Accepts or throws the class of problem. `now` is Unix seconds.
    public func verify(timestamp: String?, signature: String?, now: Int64) throws(CallbackAuthError) {
        guard let timestamp, let signature else { throw .missingHeader }
        guard let seconds = Self.unixSeconds(timestamp) else { throw .malformedTimestamp }
        guard let given = Self.digestBytes(hex: signature) else { throw .malformedSignature }
        // Checked before the signature so a captured request is useless once it is old,
        // whatever its body; subtraction cannot overflow: both are bounded to 12 digits.
        guard abs(now - seconds) <= maxSkew else { throw .stale }
        var matched = false
        for url in urls {
            for key in keys {
                let expected = Self.signatureDigest(url: url, timestamp: timestamp, key: key)
                matched = Self.constantTimeEqual(expected, given) || matched
            }
        }
        guard matched else { throw .signatureMismatch }
    }

    /// The signature VOD sends for this URL, timestamp and key, as lowercase hex.
    public static func sign(url: String, timestamp: String, key: String) -> String {
        let digest = signatureDigest(url: url, timestamp: timestamp, key: key)
        return Hex.encode(digest)
    }

    static func signatureDigest(url: String, timestamp: String, key: String) -> [UInt8] {
        var hasher = Insecure.MD5()
        update(&hasher, url)
        update(&hasher, "|")
        update(&hasher, timestamp)
        update(&hasher, "|")
        update(&hasher, key)
        return Array(hasher.finalize())
    }

    /// Hashes the text's UTF-8 in place (no array copy per part; this runs on every request).
    private static func update(_ hasher: inout Insecure.MD5, _ text: String) {
        var text = text
        text.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
    }

    /// 1 to 12 ASCII digits (with an optional leading minus, which then fails the window).
    static func unixSeconds(_ text: String) -> Int64? {
        let utf8 = text.utf8
        guard !utf8.isEmpty, utf8.count <= 12 else { return nil }
        var value: Int64 = 0
        for byte in utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        return value
    }

    /// 32 hex characters of either case, as 16 bytes.
    static func digestBytes(hex: String) -> [UInt8]? {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 32 else { return nil }
        return Hex.decode(utf8)
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
