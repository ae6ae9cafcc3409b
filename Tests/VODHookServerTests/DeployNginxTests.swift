import Foundation
import Testing
import VODHookCore

extension ProcessTests {
    /// deploy/nginx/vodhook.conf in real nginx, in front of a real `vodhook serve` on a unix socket.
    @Suite(
        "deploy/nginx: real nginx in front of vodhook",
        .enabled(
            if: ["nginx", "openssl", "curl"].allSatisfy { DeploySupport.tool($0) != nil },
            "nginx, openssl or curl is missing (apt-get install nginx openssl curl; scripts/test installs them as root)"))
    struct DeployNginxTests {
        @Test(
            "HTTPS in, the callback path only: a signed event lands, oversize and smuggling shapes are stopped, nothing else is reachable"
        )
        func throughNginx() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            let socket = sandbox.file("vodhook.sock")
            try await ProcessHTTP.withClient { client in
                let server = try await setup.start(client: client, listen: "unix:" + socket, ["--trusted-proxy", "unix"])
                defer { server.child.forceKill() }
                let proxy = try await NginxProxy.start(sandbox, socket: socket)
                defer { proxy.stop() }

                let jobId = ProcessEvent.jobId("nginx")
                let accepted = try await proxy.request(
                    "/vod/callback", headers: setup.signer.headers(), body: ProcessEvent.body(jobId: jobId))
                #expect(accepted.status == 200 && accepted.seq == 1, "\(accepted)\n\(proxy.errorLog)")
                #expect(ProcessLedger.entries(setup.dataDir).map(\.jobId) == [jobId])

                // Larger than client_max_body_size: nginx answers, vodhook never sees it.
                let big = ProcessEvent.body(jobId: ProcessEvent.jobId("big"), pad: 2 << 20)
                let oversize = try await proxy.request("/vod/callback", headers: setup.signer.headers(), body: big)
                #expect(oversize.status == 413 && !oversize.body.contains("too_large"), "\(oversize)")

                let smuggled = try await proxy.request(
                    "/vod/callback",
                    headers: setup.signer.headers() + [("Transfer-Encoding", "chunked"), ("Content-Length", "5")],
                    body: ProcessEvent.body(jobId: ProcessEvent.jobId("smuggle")))
                #expect(smuggled.status == 400, "\(smuggled)")

                // vodhook answers these on its socket (the harness waited for /readyz there); nginx does not pass them.
                for path in ["/healthz", "/readyz", "/metrics", "/vod/callback/../healthz", "/"] {
                    let answer = try await proxy.request(path, method: "GET")
                    #expect(answer.status == 404, "\(path): \(answer)")
                }
                let get = try await proxy.request("/vod/callback", method: "GET")
                #expect(get.status == 403, "\(get)")
                #expect(ProcessLedger.entries(setup.dataDir).map(\.jobId) == [jobId])

                // A refusal is logged with the address nginx saw, not the socket and not what the client claimed.
                let forged = setup.signer.headers(key: "not-the-key-0123456789abcdef") + [("X-Forwarded-For", "203.0.113.9")]
                let refused = try await proxy.request("/vod/callback", headers: forged, body: ProcessEvent.body(jobId: "x"))
                #expect(refused.status == 403, "\(refused)")
                let logged = await ProcessPoll.until(timeout: .seconds(10)) {
                    server.stderr.split(separator: "\n").contains {
                        $0.contains("callback refused") && $0.contains("client.address=127.0.0.1")
                    }
                }
                let line =
                    server.stderr.split(separator: "\n").first { $0.contains("callback refused") }.map(String.init)
                    ?? server.stderr
                #expect(logged, "\(line)")
                #expect(line.contains("network.peer.address=unix") && !line.contains("client.address=203.0.113.9"), "\(line)")
                #expect(try await server.terminate().isCleanExit)
            }
        }
    }
}
