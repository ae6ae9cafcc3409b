import FuzzSupport

@testable import VODHookCore

#if canImport(Glibc)
import Glibc
#endif

// The callback signature headers: X-VOD-TIMESTAMP and X-VOD-SIGNATURE, parsed and verified by
// CallbackVerifier. One input carries four strings cut at NUL bytes: the timestamp header, the
// signature header, the callback URL and the key.
//
// Properties, besides never crashing:
// - the timestamp parser takes exactly 1 to 12 ASCII digits, with their decimal value, and the
//   signature parser exactly 32 hex digits of either case, with their bytes (reference parsers
//   written the obvious way);
// - verify() throws the first problem in its documented order (missing, timestamp, signature,
//   stale, mismatch) for any pair of headers;
// - a signature made by sign() for these URL, timestamp and key verifies, in either case, at any
//   `now` within the skew, and stops verifying when any one hex digit changes or the key does.

exit(runFuzzer(fuzzSignature))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSignature(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let parts = fields(bytes(data, size), count: 4)
    let timestamp = String(decoding: parts[0], as: UTF8.self)
    let signature = String(decoding: parts[1], as: UTF8.self)
    let url = String(decoding: parts[2], as: UTF8.self)
    let key = String(decoding: parts[3], as: UTF8.self)

    let seconds = CallbackVerifier.unixSeconds(timestamp)
    check(seconds == referenceSeconds(timestamp), "unixSeconds(\(timestamp.debugDescription)) = \(String(describing: seconds))")
    let digest = CallbackVerifier.digestBytes(hex: signature)
    check(digest == referenceDigest(signature), "digestBytes(\(signature.debugDescription)) = \(String(describing: digest))")

    let maxSkew: Int64 = 300
    let verifier = CallbackVerifier(urls: [url], keys: [key], maxSkew: maxSkew)
    let now = seconds ?? 1_795_521_821
    let result = Result { () throws(CallbackAuthError) in
        try verifier.verify(timestamp: timestamp, signature: signature, now: now)
    }
    let expected: Result<Void, CallbackAuthError>
    if seconds == nil {
        expected = .failure(.malformedTimestamp)
    } else if digest == nil {
        expected = .failure(.malformedSignature)
    } else if signature.lowercased() == CallbackVerifier.sign(url: url, timestamp: timestamp, key: key) {
        expected = .success(())
    } else {
        expected = .failure(.signatureMismatch)
    }
    check(same(result, expected), "verify gave \(result), expected \(expected)")
    check(
        same(
            Result { () throws(CallbackAuthError) in try verifier.verify(timestamp: nil, signature: signature, now: now) },
            .failure(.missingHeader)), "a missing timestamp is not .missingHeader")

    // A genuine signature for these inputs, whenever the timestamp is one.
    guard let seconds else { return 0 }
    let genuine = CallbackVerifier.sign(url: url, timestamp: timestamp, key: key)
    check(genuine.utf8.count == 32 && genuine == genuine.lowercased(), "sign() gave \(genuine)")
    for offset in [-maxSkew, 0, maxSkew] {
        check(same(verify(verifier, timestamp, genuine, seconds + offset), .success(())), "genuine refused at \(offset)")
    }
    check(same(verify(verifier, timestamp, genuine.uppercased(), seconds), .success(())), "uppercase refused")
    check(same(verify(verifier, timestamp, genuine, seconds + maxSkew + 1), .failure(.stale)), "stale accepted")
    // One hex digit changed, at a place the input chooses.
    var digits = Array(genuine.utf8)
    let place = (parts[1].first.map(Int.init) ?? 0) % digits.count
    digits[place] = digits[place] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
    let altered = String(decoding: digits, as: UTF8.self)
    check(same(verify(verifier, timestamp, altered, seconds), .failure(.signatureMismatch)), "altered \(altered) accepted")
    let otherKey = CallbackVerifier(urls: [url], keys: [key + "x"], maxSkew: maxSkew)
    check(same(verify(otherKey, timestamp, genuine, seconds), .failure(.signatureMismatch)), "another key accepted")
    return 0
}

func verify(_ verifier: CallbackVerifier, _ timestamp: String, _ signature: String, _ now: Int64) -> Result<
    Void, CallbackAuthError
> {
    Result { () throws(CallbackAuthError) in try verifier.verify(timestamp: timestamp, signature: signature, now: now) }
}

func same(_ a: Result<Void, CallbackAuthError>, _ b: Result<Void, CallbackAuthError>) -> Bool {
    switch (a, b) {
    case (.success, .success): true
    case (.failure(let x), .failure(let y)): x == y
    default: false
    }
}

func referenceSeconds(_ text: String) -> Int64? {
    let utf8 = Array(text.utf8)
    guard (1...12).contains(utf8.count), utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
    return Int64(text)
}

func referenceDigest(_ text: String) -> [UInt8]? {
    let utf8 = Array(text.utf8)
    guard utf8.count == 32, utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
    var out: [UInt8] = []
    var index = 0
    while index < 32 {
        let pair = String(decoding: utf8[index..<index + 2], as: UTF8.self)
        // UInt8(_:radix:) would take a sign; a header's digits never include one.
        guard pair.allSatisfy(\.isHexDigit), let byte = UInt8(pair, radix: 16) else { return nil }
        out.append(byte)
        index += 2
    }
    return out
}
