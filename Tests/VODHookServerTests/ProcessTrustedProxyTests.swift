import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

extension ProcessTests {
    @Suite("--trusted-proxy: whose X-Forwarded-For names the client", .serialized)
    struct ProcessTrustedProxyTests {
        /// Sends a wrongly signed event claiming `forwardedFor` and returns the `callback refused` log line.
        static func refusalLine(_ arguments: [String], forwardedFor: String) async throws -> String {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            return try await ProcessHTTP.withClient { client in
                let server = try await setup.start(client: client, arguments)
                defer { server.child.forceKill() }
                let headers = setup.signer.headers(key: "not-the-key-0123456789abcdef") + [("X-Forwarded-For", forwardedFor)]
                let answer = try await ProcessHTTP.send(
                    client, server.url("/vod/callback"), headers: headers,
                    body: .bytes(ByteBuffer(bytes: ProcessEvent.body(jobId: "j"))))
                #expect(answer.status == 403, "\(answer)")
                var line = ""
                _ = await ProcessPoll.until(timeout: .seconds(10)) {
                    line = server.stderr.split(separator: "\n").first { $0.contains("callback refused") }.map(String.init) ?? ""
                    return !line.isEmpty
                }
                #expect(try await server.terminate().isCleanExit)
                return line
            }
        }

        @Test("by default the header is only reported: the client is the peer")
        func notTrusted() async throws {
            let line = try await Self.refusalLine([], forwardedFor: "203.0.113.9")
            #expect(line.contains("client.address=127.0.0.1:") && line.contains("client.forwarded_for=203.0.113.9"), "\(line)")
        }

        @Test("from a trusted proxy, the rightmost forwarded address is the client, the proxy is the peer")
        func trusted() async throws {
            let line = try await Self.refusalLine(["--trusted-proxy", "127.0.0.1"], forwardedFor: "198.51.100.1, 203.0.113.9")
            #expect(line.contains("client.address=203.0.113.9") && line.contains("network.peer.address=127.0.0.1:"), "\(line)")
        }
    }
}
