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

/// The control socket's append route over real HTTP, with a real ledger in a temp dir.
@Suite("Control route")
struct ControlRouteTests {
    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    static func withServer(_ body: @escaping @Sendable (any TestClientProtocol, String) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vodhook-control-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let ledger = try LedgerWriter(dataDir: dir, logger: logger)
        let router = Router(context: BasicRequestContext.self)
        ControlRoutes(ledger: ledger).addRoutes(to: router)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
        try await app.test(.live) { client in try await body(client, dir) }
        await ledger.close()
    }

    static func lines(_ dir: String) -> [String] {
        ((try? String(contentsOfFile: dir + "/ledger.jsonl", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    static func post(_ client: any TestClientProtocol, _ body: String) async throws -> (HTTPResponse.Status, String) {
        try await client.execute(
            uri: ControlAppendRequest.path, method: .post, headers: [.contentType: "application/json"],
            body: ByteBuffer(string: body)
        ) { ($0.status, String(buffer: $0.body)) }
    }

    static let pollEvent = #"{"EventType":"AIVideoTagComplete","JobId":"j1","MediaId":"m1","Status":"success"}"#

    static func request(_ records: [ControlRecord]) throws -> String {
        String(decoding: try JSONEncoder().encode(ControlAppendRequest(records: records)), as: UTF8.self)
    }

    @Test("records are appended in the sender's order and answered with their seqs; a repeated event is a duplicate")
    func appends() async throws {
        try await Self.withServer { client, dir in
            let submission = SubmissionRecord(
                outcome: .accepted, mediaId: "m1", aiType: "AIVideoTag", jobId: "j1", requestId: "R")
            let body = try Self.request([.submitted(submission), .event(source: "poll", body: Self.pollEvent)])
            let (status, answer) = try await Self.post(client, body)
            #expect(status == .ok)
            #expect(
                try JSONDecoder().decode(ControlAppendResponse.self, from: Data(answer.utf8))
                    == ControlAppendResponse(results: [.init(seq: 1, duplicate: false), .init(seq: 2, duplicate: false)]))
            let lines = Self.lines(dir)
            #expect(lines.count == 2)
            #expect(lines[1].contains(#""source":"poll","#) && lines[1].contains(#""correlated":true,"submission_seq":1"#))
            let (_, again) = try await Self.post(client, try Self.request([.event(source: "poll", body: Self.pollEvent)]))
            #expect(again.contains(#""duplicate":true"#) && again.contains(#""seq":2"#))
            #expect(Self.lines(dir).count == 2)
        }
    }

    @Test("a request that is not an append, or holds one bad event, is refused whole: 400, nothing written")
    func refusals() async throws {
        try await Self.withServer { client, dir in
            let (notJSON, text) = try await Self.post(client, "{nope")
            #expect(notJSON == .badRequest && text.contains("bad_request"))
            let submission = SubmissionRecord(outcome: .refused, mediaId: "m1", aiType: "AIVideoTag")
            let mixed = try Self.request([.submitted(submission), .event(source: "poll", body: #"{"JobId":"j1"}"#)])
            let (status, answer) = try await Self.post(client, mixed)
            #expect(status == .badRequest && answer.contains("bad_event"), "\(answer)")
            #expect(Self.lines(dir).isEmpty)
        }
    }
}
