import Foundation
import Testing
import VODHookCore

@Suite("Callback signatures")
struct CallbackVerifierTests {
    struct Vector: Decodable, Sendable {
        let url: String
        let timestamp: String
        let key: String
        let signature: String
    }

    static let vectors: [Vector] = {
        // swift-format-ignore: AlwaysUseLowerCamelCase
        // The fixture's JSON key.
        struct File: Decodable { let callback_md5: [Vector] }
        guard let url = Bundle.module.url(forResource: "signing-vectors", withExtension: "json", subdirectory: "Fixtures"),
            let data = try? Data(contentsOf: url),
            let file = try? JSONDecoder().decode(File.self, from: data)
        else { return [] }
        return file.callback_md5
    }()

    @Test("the shared vectors load") func vectorsLoad() {
        #expect(Self.vectors.count == 2)
    }

    @Test("sign() reproduces every shared vector", arguments: vectors)
    func signMatchesVector(vector: Vector) {
        #expect(CallbackVerifier.sign(url: vector.url, timestamp: vector.timestamp, key: vector.key) == vector.signature)
    }

    @Test("a vector's signature verifies, in lower and upper case hex", arguments: vectors)
    func vectorVerifies(vector: Vector) throws {
        let verifier = CallbackVerifier(urls: [vector.url], keys: [vector.key], maxSkew: 300)
        let now = Int64(vector.timestamp) ?? 0
        try verifier.verify(timestamp: vector.timestamp, signature: vector.signature, now: now)
        try verifier.verify(timestamp: vector.timestamp, signature: vector.signature.uppercased(), now: now)
    }

    @Test("the query string is part of the signed URL") func queryIsSigned() {
        let vector = Self.vectors[1]
        let withoutQuery = CallbackVerifier(urls: ["https://hooks.example.org/vod/callback"], keys: [vector.key], maxSkew: 300)
        #expect(throws: CallbackAuthError.signatureMismatch) {
            try withoutQuery.verify(timestamp: vector.timestamp, signature: vector.signature, now: 1_732_492_800)
        }
    }

    @Test("another timestamp or another key fails", arguments: [-1, 1] as [Int64])
    func neighbouringTimestampsFail(delta: Int64) {
        let vector = Self.vectors[0]
        let verifier = CallbackVerifier(urls: [vector.url], keys: [vector.key], maxSkew: 300)
        let shifted = String(1_519_375_990 + delta)
        #expect(throws: CallbackAuthError.signatureMismatch) {
            try verifier.verify(timestamp: shifted, signature: vector.signature, now: 1_519_375_990)
        }
        let otherKey = CallbackVerifier(urls: [vector.url], keys: ["Test123"], maxSkew: 300)
        #expect(throws: CallbackAuthError.signatureMismatch) {
            try otherKey.verify(timestamp: vector.timestamp, signature: vector.signature, now: 1_519_375_990)
        }
    }

    @Test("during a rotation both keys are accepted, and any configured URL") func rotation() throws {
        let verifier = CallbackVerifier(
            urls: ["https://a.example/cb", "https://b.example/cb?x=1"], keys: ["old-key", "new-key"], maxSkew: 300)
        for url in verifier.urls {
            for key in ["old-key", "new-key"] {
                let signature = CallbackVerifier.sign(url: url, timestamp: "1000", key: key)
                try verifier.verify(timestamp: "1000", signature: signature, now: 1000)
            }
        }
        let stranger = CallbackVerifier.sign(url: "https://c.example/cb", timestamp: "1000", key: "new-key")
        #expect(throws: CallbackAuthError.signatureMismatch) {
            try verifier.verify(timestamp: "1000", signature: stranger, now: 1000)
        }
    }

    @Test(
        "refusals name their class",
        arguments: [
            (nil, "c72b60894140fa98920f1279219b7ed4", 1_519_375_990, CallbackAuthError.missingHeader),
            ("1519375990", nil, 1_519_375_990, .missingHeader),
            ("15193x5990", "c72b60894140fa98920f1279219b7ed4", 1_519_375_990, .malformedTimestamp),
            ("", "c72b60894140fa98920f1279219b7ed4", 1_519_375_990, .malformedTimestamp),
            ("-1519375990", "c72b60894140fa98920f1279219b7ed4", 1_519_375_990, .malformedTimestamp),
            ("1519375990", "c72b60894140fa98920f1279219b7ed", 1_519_375_990, .malformedSignature),
            ("1519375990", "g72b60894140fa98920f1279219b7ed4", 1_519_375_990, .malformedSignature),
            ("1519375990", "c72b60894140fa98920f1279219b7ed4", 1_519_376_291, .stale),
            ("1519375990", "c72b60894140fa98920f1279219b7ed4", 1_519_375_689, .stale),
            ("1519375990", "c72b60894140fa98920f1279219b7ed5", 1_519_375_990, .signatureMismatch),
        ] as [(String?, String?, Int64, CallbackAuthError)])
    func refusals(timestamp: String?, signature: String?, now: Int64, expected: CallbackAuthError) {
        let verifier = CallbackVerifier(urls: ["https://www.example.com/your/callback"], keys: ["test123"], maxSkew: 300)
        #expect(throws: expected) { try verifier.verify(timestamp: timestamp, signature: signature, now: now) }
    }

    @Test("the window's edges are inside it", arguments: [1_519_376_290, 1_519_375_690] as [Int64])
    func windowEdges(now: Int64) throws {
        let verifier = CallbackVerifier(urls: ["https://www.example.com/your/callback"], keys: ["test123"], maxSkew: 300)
        try verifier.verify(timestamp: "1519375990", signature: "c72b60894140fa98920f1279219b7ed4", now: now)
    }

    @Test("refusal reasons never contain a key or the expected signature") func reasonsAreSafe() {
        let all: [CallbackAuthError] = [.missingHeader, .malformedTimestamp, .malformedSignature, .stale, .signatureMismatch]
        for error in all {
            #expect(!error.reason.contains("test123"))
            #expect(!error.reason.contains("c72b6089"))
        }
    }
}
