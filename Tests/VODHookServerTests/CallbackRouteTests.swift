import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing
import VODHook
import VODHookCore
import VODHookServer

/// The callback route over real HTTP on an ephemeral port, with a real ledger in a temp dir.
@Suite("Callback route")
struct CallbackRouteTests {
    static let url = "https://media.example.com/vod/callback?tenant=a"
    static let key = "route-test-key"
    static let now: Int64 = 1_795_953_821
    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    struct Harness {
        let dir: String
        let ledger: LedgerWriter

        var lines: [String] {
            (try? String(contentsOfFile: dir + "/ledger.jsonl", encoding: .utf8))?
                .split(separator: "\n").map(String.init) ?? []
        }
    }

    static func withServer(
        maxBody: Int = 1 << 20, idleTimeout: TimeAmount = .seconds(75),
        _ body: @escaping @Sendable (any TestClientProtocol, Harness) async throws -> Void
    ) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vodhook-route-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ledger = try LedgerWriter(dataDir: dir, logger: logger)
        let routes = CallbackIntake(
            paths: ["/vod/callback"], verifier: CallbackVerifier(urls: [url], keys: ["old-key", key], maxSkew: 300),
            maxBody: maxBody, ledger: ledger, rejections: RejectionLog(logger: logger), now: { now })
        let app = buildApplication(
            address: .hostname("127.0.0.1", port: 0), callbacks: routes, health: HealthRoutes(ledger: ledger),
            idleTimeout: idleTimeout, logger: logger)
        try await app.test(.live) { client in
            try await body(client, Harness(dir: dir, ledger: ledger))
        }
        await ledger.close()
    }

    static func signed(_ timestamp: Int64 = now, key: String = key) -> HTTPFields {
        [
            HTTPField.Name("X-VOD-TIMESTAMP")!: String(timestamp),
            HTTPField.Name("X-VOD-SIGNATURE")!: CallbackVerifier.sign(url: url, timestamp: String(timestamp), key: key),
            .contentType: "application/json",
        ]
    }

    static func event(_ jobId: String, status: String = "success") -> ByteBuffer {
        ByteBuffer(
            string: SampleEvent.body(
                type: "AIMediaDNAComplete", jobId: jobId, mediaId: "m1", status: status, eventTime: "2026-11-24T12:03:41Z") ?? "")
    }

    @Test("a signed event gets 200 and exactly one durable line") func accepted() async throws {
        try await Self.withServer { client, harness in
            try await client.execute(uri: "/vod/callback?tenant=a", method: .post, headers: Self.signed(), body: Self.event("j1"))
            {
                #expect($0.status == .ok)
                #expect(String(buffer: $0.body) == "{\"seq\":1,\"duplicate\":false}\n")
            }
            #expect(harness.lines.count == 1)
            #expect(harness.lines.first?.contains(#""job_id":"j1""#) == true)
        }
    }

    @Test("the old key of a rotation is still accepted") func rotationKey() async throws {
        try await Self.withServer { client, harness in
            try await client.execute(
                uri: "/vod/callback", method: .post, headers: Self.signed(key: "old-key"), body: Self.event("j1")
            ) {
                #expect($0.status == .ok)
            }
            #expect(harness.lines.count == 1)
        }
    }

    @Test("VOD's retry is answered 200 and not written twice") func retry() async throws {
        try await Self.withServer { client, harness in
            for _ in 0..<3 {
                try await client.execute(uri: "/vod/callback", method: .post, headers: Self.signed(), body: Self.event("j1")) {
                    #expect($0.status == .ok)
                }
            }
            try await client.execute(uri: "/vod/callback", method: .post, headers: Self.signed(), body: Self.event("j1")) {
                #expect(String(buffer: $0.body) == "{\"seq\":1,\"duplicate\":true}\n")
            }
            #expect(harness.lines.count == 1)
        }
    }

    static let refusals: [(String, HTTPFields, String, HTTPResponse.Status)] = [
        ("no signature headers", [.contentType: "application/json"], "missing_header", .unauthorized),
        (
            "a non-numeric timestamp",
            [HTTPField.Name("X-VOD-TIMESTAMP")!: "soon", HTTPField.Name("X-VOD-SIGNATURE")!: String(repeating: "a", count: 32)],
            "malformed_timestamp", .unauthorized
        ),
        (
            "a short signature", [HTTPField.Name("X-VOD-TIMESTAMP")!: String(now), HTTPField.Name("X-VOD-SIGNATURE")!: "abc"],
            "malformed_signature", .unauthorized
        ),
        ("another key", signed(key: "wrong"), "signature_mismatch", .forbidden),
        ("a stale timestamp", signed(now - 301), "stale", .forbidden),
        ("a timestamp from the future", signed(now + 301), "stale", .forbidden),
    ]

    @Test("refused signatures get 401 or 403, name the class only, and write nothing", arguments: 0..<refusals.count)
    func refusedSignatures(index: Int) async throws {
        let (_, headers, code, status) = Self.refusals[index]
        try await Self.withServer { client, harness in
            try await client.execute(uri: "/vod/callback", method: .post, headers: headers, body: Self.event("j1")) {
                #expect($0.status == status)
                let text = String(buffer: $0.body)
                #expect(text.contains(#""error":"\#(code)""#))
                #expect(!text.contains(Self.key))
            }
            #expect(harness.lines.isEmpty)
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test(
        "malformed bodies get 400 and write nothing",
        arguments: [
            "not json", "[1,2]", "\"text\"", "{}", #"{"EventType":""}"#, #"{"EventType":7}"#,
            String(repeating: "[", count: 100_000), "{\"EventType\":\"A\",\"x\":\"\u{FFFD}\"",
        ])
    func malformed(body: String) async throws {
        try await Self.withServer { client, harness in
            try await client.execute(uri: "/vod/callback", method: .post, headers: Self.signed(), body: ByteBuffer(string: body))
            {
                #expect($0.status == .badRequest)
            }
            #expect(harness.lines.isEmpty)
        }
    }

    @Test("invalid UTF-8 gets 400") func invalidUTF8() async throws {
        try await Self.withServer { client, harness in
            var body = ByteBuffer(string: #"{"EventType":"AIVideoTagComplete","JobId":""#)
            body.writeBytes([0xC3, 0x28])
            body.writeString(#""}"#)
            try await client.execute(uri: "/vod/callback", method: .post, headers: Self.signed(), body: body) {
                #expect($0.status == .badRequest)
            }
            #expect(harness.lines.isEmpty)
        }
    }

    @Test("a body over --max-body gets 413 and writes nothing") func tooLarge() async throws {
        try await Self.withServer(maxBody: 512) { client, harness in
            let big = #"{"EventType":"AIVideoTagComplete","JobId":"j","Pad":""# + String(repeating: "x", count: 600) + #""}"#
            try await client.execute(uri: "/vod/callback", method: .post, headers: Self.signed(), body: ByteBuffer(string: big)) {
                #expect($0.status == .contentTooLarge)
            }
            #expect(harness.lines.isEmpty)
            try await client.execute(uri: "/vod/callback", method: .post, headers: Self.signed(), body: Self.event("small")) {
                #expect($0.status == .ok)
            }
        }
    }

    @Test("other paths are 404, other methods on the callback path 405") func routing() async throws {
        try await Self.withServer { client, harness in
            try await client.execute(uri: "/vod/other", method: .post, headers: Self.signed(), body: Self.event("j1")) {
                #expect($0.status == .notFound)
            }
            try await client.execute(uri: "/vod/callback", method: .get) {
                #expect($0.status == .methodNotAllowed)
                #expect($0.headers[.allow] == "POST")
            }
            #expect(harness.lines.isEmpty)
        }
    }

    @Test("health and readiness answer without authentication") func health() async throws {
        try await Self.withServer { client, _ in
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/readyz", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test("unknown event types are recorded too") func unknownType() async throws {
        try await Self.withServer { client, harness in
            let body = ByteBuffer(string: #"{"EventType":"SomethingNewComplete","Status":"success","Whatever":{"a":[1,2]}}"#)
            try await client.execute(uri: "/vod/callback", method: .post, headers: Self.signed(), body: body) {
                #expect($0.status == .ok)
            }
            #expect(harness.lines.first?.contains(#""Whatever":{"a":[1,2]}"#) == true)
        }
    }
}
