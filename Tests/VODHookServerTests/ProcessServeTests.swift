import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import VODHookCore

extension ProcessTests {
    /// `vodhook serve` as operators run it: the binary, its files, its sockets, its answers.
    @Suite("serve as a child process", .serialized)
    struct ProcessServeTests {
        @Test(
            "with only --listen and --public-url, serve generates a 0600 32-character key and send-test-event is recorded as one line"
        )
        func zeroConfiguration() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let dataDir = sandbox.file("vodhook-data")  // the default ./vodhook-data, relative to the child's directory
            try await ProcessHTTP.withClient { client in
                var server: ProcessServer?
                defer { server?.child.forceKill() }
                var publicURL = ""
                // The public URL must name the port, so it is picked before serve binds it; another
                // process may take it in between, so a start refused with EADDRINUSE is retried.
                for attempt in 1...3 where server == nil {
                    let port = try ProcessFiles.freePort()
                    publicURL = "http://127.0.0.1:\(port)/vod/callback"
                    do {
                        server = try await sandbox.startServer(
                            ["--listen", "127.0.0.1:\(port)", "--public-url", publicURL], dataDir: dataDir, client: client)
                    } catch let error as ProcessServerDidNotStart where attempt < 3 && error.stderr.contains("in use") {
                        continue
                    }
                }
                let running = try #require(server)

                let keyPath = dataDir + "/callback-key"
                let mode = try #require(ProcessFiles.permissions(keyPath), "no \(keyPath)")
                #expect(mode == 0o600, "callback-key mode is \(String(mode, radix: 8))")
                let key = try String(contentsOfFile: keyPath, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
                #expect(key.count == 32, "generated key has \(key.count) characters")
                #expect(running.stderr.contains("callback-key"), "the start-up log does not say where the key is")
                #expect(!running.stderr.contains(key), "the start-up log contains the key")

                let sent = try await sandbox.runVODHook(["send-test-event", "--url", publicURL, "--data-dir", dataDir])
                #expect(sent.exit.isCleanExit, "\(sent)")
                #expect(sent.stdout.contains("HTTP 200"), "\(sent)")
                let jobId = try #require(
                    sent.stdout.split(whereSeparator: { $0 == " " || $0 == "\n" })
                        .first { $0.hasPrefix("JobId=") }.map { String($0.dropFirst("JobId=".count)) },
                    "send-test-event printed no JobId: \(sent)")

                let entries = ProcessLedger.entries(dataDir)
                #expect(entries.count == 1, "ledger has \(entries.count) lines")
                #expect(entries.first?.jobId == jobId)
                #expect(entries.first?.seq == 1)
                #expect(ProcessLedger.bytes(dataDir).last == 0x0A)

                let exit = try await running.terminate()
                #expect(exit.isCleanExit, "serve ended with \(exit)")
            }
        }

        @Test("a second serve on the same data directory exits non-zero saying it is in use, and the first keeps answering")
        func secondInstanceRefused() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            try await ProcessHTTP.withClient { client in
                let first = try await setup.start(client: client)
                defer { first.child.forceKill() }

                let second = try await sandbox.runVODHook(["serve"] + setup.arguments(), timeout: .seconds(20))
                #expect(!second.exit.isCleanExit, "second serve: \(second)")
                #expect(!second.exit.signaled, "second serve: \(second)")
                #expect(second.stderr.contains("in use"), "second serve: \(second)")
                #expect(second.stderr.contains(setup.dataDir), "the refusal does not name the data directory: \(second)")
                #expect(second.stderr.contains("pid \(first.pid)"), "the refusal does not name the holder: \(second)")

                #expect(first.child.isRunning)
                let lock = try String(contentsOfFile: setup.dataDir + "/vodhook.lock", encoding: .utf8)
                #expect(
                    lock.trimmingCharacters(in: .whitespacesAndNewlines) == "\(first.pid)",
                    "the refused start rewrote the lock file")
                #expect(try await ProcessHTTP.get(client, first.url("/healthz")).status == 200)
                let answer = try await setup.send(client, first, jobId: ProcessEvent.jobId())
                #expect(answer.status == 200, "\(answer)")
                #expect(answer.seq == 1, "\(answer)")
                #expect(ProcessLedger.entries(setup.dataDir).count == 1)
                #expect(try await first.terminate().isCleanExit)
            }
        }

        @Test(
            "after SIGTERM and a restart, seq continues after the last line and an event from before the restart is a duplicate")
        func restartContinues() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            try await ProcessHTTP.withClient { client in
                let before = (1...3).map { ProcessEvent.jobId("before\($0)") }
                let first = try await setup.start(client: client)
                defer { first.child.forceKill() }
                for (index, jobId) in before.enumerated() {
                    let answer = try await setup.send(client, first, jobId: jobId)
                    #expect(answer.status == 200, "\(answer)")
                    #expect(answer.seq == UInt64(index + 1), "\(answer)")
                    #expect(!answer.isDuplicate, "\(answer)")
                }
                let exit = try await first.terminate()
                #expect(exit.isCleanExit, "serve ended with \(exit)\n\(first.stderr)")

                let second = try await setup.start(client: client)
                defer { second.child.forceKill() }
                for (index, jobId) in (1...2).map({ ProcessEvent.jobId("after\($0)") }).enumerated() {
                    let answer = try await setup.send(client, second, jobId: jobId)
                    #expect(answer.status == 200, "\(answer)")
                    #expect(answer.seq == UInt64(4 + index), "seq after the restart: \(answer)")
                }
                let retry = try await setup.send(client, second, jobId: before[0])
                #expect(retry.status == 200, "\(retry)")
                #expect(retry.isDuplicate, "a retry of an event from before the restart: \(retry)")
                #expect(retry.seq == 1, "\(retry)")

                let entries = ProcessLedger.entries(setup.dataDir)
                #expect(entries.map(\.seq) == [1, 2, 3, 4, 5])
                #expect(entries.filter { $0.jobId == before[0] }.count == 1)
                #expect(try await second.terminate().isCleanExit)
                let verify = try await setup.verify()
                #expect(verify.exit.isCleanExit, "\(verify)")
            }
        }

        @Test("a live file left by an earlier run is rotated under the seqs it holds, and the ledger verifies")
        func rotationAfterRestart() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            try await ProcessHTTP.withClient { client in
                let first = try await setup.start(client: client, ["--rotate-size", "2KiB"])
                defer { first.child.forceKill() }
                for index in 1...2 {
                    let answer = try await setup.send(client, first, jobId: ProcessEvent.jobId("before\(index)"))
                    #expect(answer.status == 200, "\(answer)")
                }
                #expect(try await first.terminate().isCleanExit)

                let second = try await setup.start(client: client, ["--rotate-size", "2KiB"])
                defer { second.child.forceKill() }
                for index in 1...12 {
                    let answer = try await setup.send(client, second, jobId: ProcessEvent.jobId("after\(index)"))
                    #expect(answer.status == 200, "\(answer)")
                }
                #expect(try await second.terminate().isCleanExit)

                let names = LedgerFileName.readingOrder(ProcessLedger.files(setup.dataDir, prefix: "ledger"))
                #expect(names.count >= 2, "no rotation happened: \(names)")
                var seqs: [UInt64] = []
                for name in names {
                    let held = ProcessLedger.entries(setup.dataDir, file: name.name).map(\.seq)
                    if case .rotated(let first, let last) = name {
                        #expect(held.first == first && held.last == last, "\(name.name) holds seq \(held)")
                    }
                    seqs += held
                }
                #expect(seqs == Array(1...14))
                let verify = try await setup.verify()
                #expect(verify.exit.isCleanExit, "\(verify)")
            }
        }

        @Test(
            "SIGTERM in the middle of a callback: idle and already-answered connections close, the callback is still read, recorded and answered, then serve exits 0"
        )
        func gracefulMidRequest() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            try await ProcessHTTP.withClient { client in
                let server = try await setup.start(client: client)
                defer { server.child.forceKill() }
                guard case .tcp(_, let port) = server.address else {
                    Issue.record("serve did not listen on TCP: \(server.address)")
                    return
                }
                let idle = try RawConnection(port: port)
                defer { idle.close() }
                let busy = try RawConnection(port: port)
                defer { busy.close() }
                let body = ProcessEvent.body(jobId: "graceful-1")
                var head = "POST /vod/callback HTTP/1.1\r\nHost: vodhook.test\r\nContent-Length: \(body.count)\r\n"
                for (name, value) in setup.signer.headers() { head += "\(name): \(value)\r\n" }
                try busy.send(head + "\r\n" + String(decoding: body.prefix(20), as: UTF8.self))
                // Refused from its head (another key), answered at once; the rest of its body never comes.
                let refused = try RawConnection(port: port)
                defer { refused.close() }
                var badHead = "POST /vod/callback HTTP/1.1\r\nHost: vodhook.test\r\nContent-Length: \(body.count)\r\n"
                for (name, value) in setup.signer.headers(key: "not-the-key") { badHead += "\(name): \(value)\r\n" }
                try refused.send(badHead + "\r\n" + String(decoding: body.prefix(20), as: UTF8.self))
                // Ordering only, no timing is asserted: let serve accept both and read the head first.
                try await Task.sleep(for: .milliseconds(300))
                server.child.signal(SIGTERM)

                #expect(try await idle.readToEnd().isEmpty, "the idle connection was not closed without an answer")
                let refusedAnswers = try RawConnection.responses(in: await refused.readToEnd())
                #expect(refusedAnswers.map(\.status) == [403], "the answered connection was kept open for a body that never came")
                try busy.send(String(decoding: body.dropFirst(20), as: UTF8.self))
                let answers = try RawConnection.responses(in: await busy.readToEnd())
                #expect(answers.map(\.status) == [200])
                #expect(answers.first?.headers["connection"] == "close")
                let exit = await server.child.waitForExit(timeout: .seconds(20))
                #expect(exit?.isCleanExit == true, "serve ended with \(String(describing: exit))\n\(server.stderr)")
                #expect(ProcessLedger.entries(setup.dataDir).map(\.jobId) == ["graceful-1"])
            }
        }

        @Test("listening on unix:PATH makes a 0660 socket that takes signed events and is removed after SIGTERM")
        func unixSocket() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            let socket = sandbox.file("v.sock")
            try await ProcessHTTP.withClient { client in
                let server = try await setup.start(client: client, listen: "unix:" + socket)
                defer { server.child.forceKill() }
                #expect(server.address == .unix(path: socket))
                #expect(ProcessFiles.type(socket) == .typeSocket, "no socket at \(socket)")
                let mode = try #require(ProcessFiles.permissions(socket), "no socket at \(socket)")
                #expect(mode == 0o660, "socket mode is \(String(mode, radix: 8))")

                let jobId = ProcessEvent.jobId()
                let answer = try await setup.send(client, server, jobId: jobId)
                #expect(answer.status == 200, "\(answer)")
                #expect(ProcessLedger.entries(setup.dataDir).map(\.jobId) == [jobId])

                let exit = try await server.terminate()
                #expect(exit.isCleanExit, "serve ended with \(exit)")
                #expect(ProcessFiles.type(socket) == nil, "the socket is still there after SIGTERM")
            }
        }

        @Test("every refused request gets its status over the real socket and none of them writes a ledger line")
        func refusals() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            try await ProcessHTTP.withClient { client in
                let server = try await setup.start(client: client, ["--max-body", "1k"])
                defer { server.child.forceKill() }
                let url = server.url("/vod/callback")
                let signer = setup.signer
                let event = ProcessEvent.body(jobId: ProcessEvent.jobId())
                let json: [(String, String)] = [("Content-Type", "application/json")]
                let large = ProcessEvent.body(jobId: ProcessEvent.jobId(), pad: 2048)

                let cases: [(String, Int, () async throws -> ProcessHTTPAnswer)] = [
                    (
                        "wrong signature", 403,
                        {
                            try await ProcessHTTP.send(
                                client, url, headers: signer.headers(key: "not-the-key"), body: .bytes(ByteBuffer(bytes: event)))
                        }
                    ),
                    (
                        "no signature headers", 401,
                        {
                            try await ProcessHTTP.send(client, url, headers: json, body: .bytes(ByteBuffer(bytes: event)))
                        }
                    ),
                    (
                        "timestamp an hour old", 403,
                        {
                            try await ProcessHTTP.send(
                                client, url, headers: signer.headers(timestamp: ProcessSigner.now() - 3600),
                                body: .bytes(ByteBuffer(bytes: event)))
                        }
                    ),
                    (
                        "body [1,2]", 400,
                        {
                            try await ProcessHTTP.send(
                                client, url, headers: signer.headers(), body: .bytes(ByteBuffer(string: "[1,2]")))
                        }
                    ),
                    (
                        "body over --max-body 1k", 413,
                        {
                            try await ProcessHTTP.send(
                                client, url, headers: signer.headers(), body: .bytes(ByteBuffer(bytes: large)))
                        }
                    ),
                    (
                        "chunked body over --max-body 1k", 413,
                        {
                            try await ProcessHTTP.send(
                                client, url, headers: signer.headers(), body: .bytes(large, length: .unknown))
                        }
                    ),
                    (
                        "signed POST to another path", 404,
                        {
                            try await ProcessHTTP.send(
                                client, server.url("/vod/other"), headers: signer.headers(),
                                body: .bytes(ByteBuffer(bytes: event)))
                        }
                    ),
                    (
                        "GET on the callback path", 405,
                        {
                            try await ProcessHTTP.send(client, url, method: .GET, headers: signer.headers())
                        }
                    ),
                ]
                for (name, expected, request) in cases {
                    let answer = try await request()
                    #expect(answer.status == expected, "\(name): \(answer)")
                    #expect(!answer.body.contains(setup.signer.key), "\(name): the answer contains the key")
                }

                #expect(ProcessLedger.bytes(setup.dataDir).isEmpty, "refused requests wrote to the ledger")
                #expect(try await ProcessHTTP.get(client, server.url("/healthz")).status == 200)
                #expect(try await ProcessHTTP.get(client, server.url("/readyz")).status == 200)
                #expect(!server.stderr.contains(setup.signer.key), "the log contains the key")
                #expect(try await server.terminate().isCleanExit)
            }
        }
    }
}
