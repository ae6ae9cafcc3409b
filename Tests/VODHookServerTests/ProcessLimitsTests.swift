import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
// sockaddr_in may be owned by NIO's C shim module, depending on which module clang built first.
#if canImport(CNIOLinux)
import CNIOLinux
#endif

extension ProcessTests {
    /// What one client, or many, can do to serve: connections, descriptors, silence, signals, log lines.
    @Suite("serve's limits and access as a child process", .serialized)
    struct ProcessLimitsTests {
        @Test(
            "started with a soft open-file limit of 1024, serve raises it, holds 5,000 idle connections and still answers a new callback 200"
        )
        func manyIdleConnections() async throws {
            let count = 5000
            try RawConnection.allowOpenFiles(count + 256)
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            try await ProcessHTTP.withClient { client in
                let server = try await setup.start(client: client, shellPrefix: "ulimit -S -n 1024")
                defer { server.child.forceKill() }
                guard case .tcp(_, let port) = server.address else {
                    Issue.record("serve did not listen on TCP: \(server.address)")
                    return
                }
                let limit = try server.openFileLimit()
                #expect(limit.map { $0 > count } ?? true, "serve kept a soft open-file limit of \(limit.map(String.init) ?? "?")")
                #expect(server.stderr.contains("files.soft_before=1024"), "the raise is not logged\n\(server.stderr)")
                let rssBefore = server.residentKiB()

                var idle: [RawConnection] = []
                defer { for connection in idle { connection.close() } }
                for _ in 0..<count {
                    // A full accept queue drops SYNs, and the kernel would retry them for minutes.
                    idle.append(try RawConnection(port: port, connectTimeout: 20))
                }
                // Connected is not accepted: the kernel completes handshakes into the backlog.
                // Each accepted connection is one descriptor in serve.
                let accepted = await ProcessPoll.until(timeout: .seconds(60), interval: .milliseconds(200)) {
                    server.openDescriptors() >= count
                }
                #expect(accepted, "serve holds \(server.openDescriptors()) descriptors for \(count) connections")

                let started = ContinuousClock.now
                let answer = try await ProcessHTTP.withClient { fresh in
                    try await setup.signer.post(
                        fresh, server, body: ProcessEvent.body(jobId: ProcessEvent.jobId("crowded")), timeout: .seconds(10))
                }
                let latency = ContinuousClock.now - started
                #expect(answer.status == 200, "\(answer)")
                // A figure for the report, not an assertion.
                print(
                    "manyIdleConnections: \(count) idle connections, serve RSS \(rssBefore ?? 0) KiB -> \(server.residentKiB() ?? 0) KiB,"
                        + " descriptors \(server.openDescriptors()), new callback answered in \(latency)")
                #expect(server.child.isRunning)
            }
        }

        @Test("with a hard open-file limit of 1024, serve lowers the connection cap to what it leaves and says so")
        func capLoweredByFileLimit() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            try await ProcessHTTP.withClient { client in
                // dash's ulimit without -S or -H sets both limits.
                let server = try await setup.start(client: client, shellPrefix: "ulimit -n 1024")
                defer { server.child.forceKill() }
                #expect(server.stderr.contains("max_connections lowered"), "\(server.stderr)")
                #expect(server.stderr.contains("connections.max=768"), "\(server.stderr)")
                let answer = try await setup.send(client, server, jobId: ProcessEvent.jobId("tight"))
                #expect(answer.status == 200, "\(answer)")
            }
        }

        @Test("a silent connection is closed after --idle-timeout on every listener: public, admin and the control socket")
        func idleTimeoutEveryListener() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            try await ProcessHTTP.withClient { client in
                let server = try await setup.start(client: client, ["--idle-timeout", "1", "--admin-listen", "127.0.0.1:0"])
                defer { server.child.forceKill() }
                guard case .tcp(_, let port) = server.address, case .tcp(_, let adminPort)? = server.adminAddress else {
                    Issue.record(
                        "serve did not listen on TCP: \(server.address), admin \(String(describing: server.adminAddress))")
                    return
                }
                let listeners = [
                    ("public", try RawConnection(port: port)),
                    ("admin", try RawConnection(port: adminPort)),
                    ("control", try RawConnection(unixPath: setup.dataDir + "/control/vodhook.sock")),
                ]
                defer { for (_, connection) in listeners { connection.close() } }
                for (name, connection) in listeners {
                    // readToEnd gives up (throws) after 10 s of silence from serve: far past the 1 s timeout.
                    do {
                        let bytes = try await connection.readToEnd()
                        #expect(bytes.isEmpty, "the \(name) listener answered a connection that sent nothing")
                    } catch {
                        Issue.record("the \(name) listener kept a silent connection open: \(error)")
                    }
                }
                #expect(server.child.isRunning)
            }
        }

        @Test("at --max-connections a new connection waits (not refused) and is served once another closes")
        func connectionCap() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            // The client that probed /readyz is shut down with its pooled connection: it would hold a slot.
            let server = try await ProcessHTTP.withClient { client in
                try await setup.start(client: client, ["--max-connections", "2"])
            }
            defer { server.child.forceKill() }
            guard case .tcp(_, let port) = server.address else {
                Issue.record("serve did not listen on TCP: \(server.address)")
                return
            }
            do {
                // Two connections, each proven accepted by an answer on it, fill the cap.
                var held: [RawConnection] = []
                defer { for connection in held { connection.close() } }
                for _ in 0..<2 {
                    let connection = try RawConnection(port: port)
                    try connection.send("GET /healthz HTTP/1.1\r\nHost: vodhook.test\r\n\r\n")
                    #expect(try await connection.readAnswer(within: 10)?.status == 200)
                    held.append(connection)
                }
                let waiting = try RawConnection(port: port)
                defer { waiting.close() }
                let body = ProcessEvent.body(jobId: ProcessEvent.jobId("waiting"))
                var request = "POST /vod/callback HTTP/1.1\r\nHost: vodhook.test\r\nContent-Length: \(body.count)\r\n"
                for (name, value) in setup.signer.headers() { request += "\(name): \(value)\r\n" }
                try waiting.send(request + "\r\n" + String(decoding: body, as: UTF8.self))
                // Not answered, and not refused or reset either: it is in the backlog.
                let early = try await waiting.readAnswer(within: 2)
                #expect(early == nil, "a connection beyond the cap was served at once: \(String(describing: early?.status))")

                held.removeFirst().close()
                let answer = try await waiting.readAnswer(within: 10)
                #expect(answer?.status == 200, "the waiting connection got \(String(describing: answer?.status))")
                #expect(server.stderr.contains("connection limit reached"), "\(server.stderr)")
            }
        }

        @Test("SIGHUP does not stop serve: it reloads and keeps answering")
        func hangupKeepsServing() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            try await ProcessHTTP.withClient { client in
                let server = try await setup.start(client: client)
                defer { server.child.forceKill() }
                server.child.signal(SIGHUP)
                let logged = await ProcessPoll.until(timeout: .seconds(10)) {
                    server.stderr.contains("SIGHUP") || !server.child.isRunning
                }
                #expect(
                    logged && server.child.isRunning,
                    "serve after SIGHUP: \(String(describing: server.child.exit))\n\(server.stderr)")
                #expect(server.stderr.contains("configuration reloaded"), "\(server.stderr)")
                server.child.signal(SIGHUP)
                let answer = try await setup.send(client, server, jobId: ProcessEvent.jobId("after-hup"))
                #expect(answer.status == 200, "\(answer)")
                #expect(server.child.isRunning)
                let exit = try await server.terminate()
                #expect(exit.isCleanExit, "\(exit)")
            }
        }

        @Test("an X-Forwarded-For on a refused callback is logged escaped and cut: it forges no field and floods no line")
        func forwardedForEscaped() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            try await ProcessHTTP.withClient { client in
                let server = try await setup.start(client: client)
                defer { server.child.forceKill() }
                let forged = "203.0.113.9 client.address=10.6.6.6 reason=\"ok\" " + String(repeating: "x", count: 4000)
                let answer = try await ProcessHTTP.send(
                    client, server.url("/vod/callback"),
                    headers: setup.signer.headers(key: "not-the-key") + [("X-Forwarded-For", forged)],
                    body: .bytes(ByteBuffer(bytes: ProcessEvent.body(jobId: "forged-xff"))))
                #expect(answer.status == 403, "\(answer)")
                let logged = await ProcessPoll.until(timeout: .seconds(10)) { server.stderr.contains("callback refused") }
                let line = try #require(
                    server.stderr.split(separator: "\n").first { $0.contains("callback refused") },
                    "no refusal logged\n\(server.stderr)")
                #expect(logged)
                #expect(!line.contains("client.address=10.6.6.6") && !line.contains("reason=\"ok\""), "\(line)")
                #expect(line.count < 1000, "a \(line.count)-character log line")
            }
        }

        @Test("the data directory's lock file is 0600, also when an older serve left it 0640")
        func lockFilePrivate() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            try FileManager.default.createDirectory(atPath: setup.dataDir, withIntermediateDirectories: true)
            let lock = setup.dataDir + "/vodhook.lock"
            try sandbox.write("data/vodhook.lock", "", mode: 0o640)
            try await ProcessHTTP.withClient { client in
                let server = try await setup.start(client: client)
                defer { server.child.forceKill() }
                let mode = ProcessFiles.permissions(lock)
                #expect(mode == 0o600, "vodhook.lock is \(mode.map { String($0, radix: 8) } ?? "missing")")
                _ = try await server.terminate()
            }
            try FileManager.default.removeItem(atPath: lock)
            try await ProcessHTTP.withClient { client in
                let server = try await setup.start(client: client)
                defer { server.child.forceKill() }
                let mode = ProcessFiles.permissions(lock)
                #expect(mode == 0o600, "a new vodhook.lock is \(mode.map { String($0, radix: 8) } ?? "missing")")
                _ = try await server.terminate()
            }
        }
    }
}

extension RawConnection {
    /// A connection to the unix socket at `path`, reads timing out after 10 s like the TCP ones.
    init(unixPath path: String) throws {
        fd = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            Glibc.close(fd)
            throw Failure(description: "socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            let code = errno
            Glibc.close(fd)
            throw Failure(description: "connect \(path): errno \(code)")
        }
    }

    /// The first whole answer, or nil when none came within `seconds`. A close or a reset
    /// before it is an error: the connection was refused rather than kept waiting.
    func readAnswer(within seconds: Int) async throws -> Answer? {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try readAnswerBlocking(within: seconds) }) }.start()
        }
    }

    private func readAnswerBlocking(within seconds: Int) throws -> Answer? {
        let deadline = ContinuousClock.now + .seconds(seconds)
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return nil }
            var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000)
            guard Glibc.poll(&ready, 1, max(milliseconds, 1)) > 0 else { continue }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { throw Failure(description: "closed after \(bytes.count) bytes, without a whole answer") }
            guard n > 0 else { throw Failure(description: "recv: errno \(errno) after \(bytes.count) bytes") }
            bytes += buffer[..<n]
            if let answer = (try? Self.responses(in: bytes))?.first { return answer }
        }
    }

    /// Raises this test process's soft open-file limit to at least `count` (up to the hard limit).
    static func allowOpenFiles(_ count: Int) throws {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else {
            throw Failure(description: "getrlimit: errno \(errno)")
        }
        guard limit.rlim_cur < rlim_t(count) else { return }
        guard limit.rlim_max >= rlim_t(count) else {
            throw Failure(description: "the hard open-file limit \(limit.rlim_max) is below the \(count) this test needs")
        }
        limit.rlim_cur = rlim_t(count)
        guard setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else {
            throw Failure(description: "setrlimit: errno \(errno)")
        }
    }
}
