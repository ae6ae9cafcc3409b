import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

#if canImport(Glibc)
import Glibc
#endif
// sockaddr_un may be owned by NIO's C shim module, depending on which module clang built first.
#if canImport(CNIOLinux)
import CNIOLinux
#endif

extension ProcessTests {
    /// SIGHUP on a real `vodhook serve`: keys, limits and refusals, with requests in flight.
    @Suite("reload on SIGHUP", .serialized)
    struct ProcessReloadTests {
        static let oldKey = "process-test-key-0123456789abcdef"
        static let newKey = "rotatedKey0123456789ABCDEFabcdef"

        /// Sends SIGHUP and waits until serve logged its outcome (the `count`-th reload line).
        static func hangUp(_ server: ProcessServer, expecting line: String, count: Int) async -> Bool {
            server.child.signal(SIGHUP)
            return await ProcessPoll.until(timeout: .seconds(10)) {
                server.stderr.components(separatedBy: line).count - 1 >= count || !server.child.isRunning
            }
        }

        @Test("a key rotation: the new key is refused, accepted once added and SIGHUP, the old refused once removed")
        func keyRotation() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox, key: Self.oldKey)
            let rotated = ProcessSigner(publicURL: ProcessServeSetup.publicURL, key: Self.newKey)
            try await ProcessHTTP.withClient { client in
                let server = try await setup.start(client: client)
                defer { server.child.forceKill() }
                let body = { ProcessEvent.body(jobId: ProcessEvent.jobId("rotation")) }

                let before = try await rotated.post(client, server, body: body())
                #expect(before.status == 403, "a key not yet configured: \(before)")

                try sandbox.write("callback-keys", "\(Self.oldKey)\n\(Self.newKey)\n")
                #expect(await Self.hangUp(server, expecting: "configuration reloaded", count: 1), "\(server.stderr)")
                let withBoth = try await rotated.post(client, server, body: body())
                #expect(withBoth.status == 200, "the added key after SIGHUP: \(withBoth)")
                let oldStill = try await setup.signer.post(client, server, body: body())
                #expect(oldStill.status == 200, "the old key during the rotation: \(oldStill)")

                try sandbox.write("callback-keys", "\(Self.newKey)\n")
                #expect(await Self.hangUp(server, expecting: "configuration reloaded", count: 2), "\(server.stderr)")
                let oldGone = try await setup.signer.post(client, server, body: body())
                #expect(oldGone.status == 403, "the removed key after SIGHUP: \(oldGone)")
                let newOnly = try await rotated.post(client, server, body: body())
                #expect(newOnly.status == 200, "\(newOnly)")

                #expect(!server.stderr.contains(Self.oldKey) && !server.stderr.contains(Self.newKey), "a key in the log")
                #expect(server.child.isRunning)
                let exit = try await server.terminate()
                #expect(exit.isCleanExit, "\(exit)")
            }
        }

        @Test("an invalid file on SIGHUP is refused naming the key; the old settings keep serving; limits change live")
        func invalidFileRefused() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            let config = try sandbox.write("vodhook.yaml", "max_body: 64KiB\n")
            try await ProcessHTTP.withClient { client in
                let server = try await setup.start(client: client, ["--config", config])
                defer { server.child.forceKill() }

                try sandbox.write("vodhook.yaml", "max_body: 64KiB\nmax_skew: soon\n")
                #expect(await Self.hangUp(server, expecting: "reload refused", count: 1), "\(server.stderr)")
                let refusal = server.stderr.split(separator: "\n").first { $0.contains("reload refused") } ?? ""
                #expect(refusal.contains("max_skew") && refusal.contains(config), "\(refusal)")
                let stillServing = try await setup.send(client, server, jobId: ProcessEvent.jobId("after-refusal"))
                #expect(stillServing.status == 200, "\(stillServing)")

                // A smaller max_body applies to the next request; a new idle_timeout needs a restart.
                let padded = ProcessEvent.body(jobId: ProcessEvent.jobId("large"), pad: 2000)
                let fits = try await setup.signer.post(client, server, body: padded)
                #expect(fits.status == 200, "\(fits)")
                try sandbox.write("vodhook.yaml", "max_body: 1KiB\nidle_timeout: 30\n")
                #expect(await Self.hangUp(server, expecting: "configuration reloaded", count: 1), "\(server.stderr)")
                let tooLarge = try await setup.signer.post(
                    client, server, body: ProcessEvent.body(jobId: ProcessEvent.jobId("large"), pad: 2000))
                #expect(tooLarge.status == 413, "\(tooLarge)")
                let restart = server.stderr.split(separator: "\n").first { $0.contains("need a restart") } ?? ""
                #expect(restart.contains("idle_timeout") && !restart.contains("max_body"), "\(server.stderr)")
                let exit = try await server.terminate()
                #expect(exit.isCleanExit, "\(exit)")
            }
        }

        @Test("log_level and rotate_size change on SIGHUP: debug lines appear, the ledger rotates at the new size")
        func logLevelAndRotateSize() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            let config = try sandbox.write("vodhook.yaml", "log_level: info\n")
            try await ProcessHTTP.withClient { client in
                let server = try await setup.start(client: client, ["--config", config])
                defer { server.child.forceKill() }
                let first = try await setup.send(client, server, jobId: ProcessEvent.jobId("before"), pad: 600)
                #expect(first.status == 200, "\(first)")
                #expect(!server.stderr.contains(" debug "), "a debug line at info: \(server.stderr)")

                try sandbox.write("vodhook.yaml", "log_level: debug\nrotate_size: 1KiB\n")
                #expect(await Self.hangUp(server, expecting: "configuration reloaded", count: 1), "\(server.stderr)")
                for index in 0..<3 {
                    let answer = try await setup.send(client, server, jobId: ProcessEvent.jobId("after-\(index)"), pad: 600)
                    #expect(answer.status == 200, "\(answer)")
                }
                let rotated = await ProcessPoll.until(timeout: .seconds(10)) {
                    !ProcessLedger.files(setup.dataDir, prefix: "ledger-").isEmpty
                }
                #expect(rotated, "no rotated ledger file: \(ProcessLedger.files(setup.dataDir, prefix: ""))")
                let exit = try await server.terminate()
                #expect(exit.isCleanExit, "\(exit)")
                // ServiceLifecycle logs the shutdown's steps at debug level.
                #expect(server.stderr.contains(" debug "), "no debug line after log_level: debug: \(server.stderr)")
            }
        }

        @Test("a request in flight across SIGHUP completes, even when the reload removes the key it was signed with")
        func requestInFlight() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox, key: Self.oldKey)
            try await ProcessHTTP.withClient { client in
                let server = try await setup.start(client: client)
                defer { server.child.forceKill() }
                guard case .tcp(_, let port) = server.address else {
                    Issue.record("expected a TCP listener")
                    return
                }
                let body = String(decoding: ProcessEvent.body(jobId: ProcessEvent.jobId("in-flight")), as: UTF8.self)
                var head = "POST /vod/callback HTTP/1.1\r\nHost: vodhook.test\r\nContent-Length: \(body.utf8.count)\r\n"
                for (name, value) in setup.signer.headers() { head += "\(name): \(value)\r\n" }
                head += "Connection: close\r\n\r\n"
                let connection = try RawConnection(port: port)
                defer { connection.close() }
                try connection.send(head + String(body.prefix(20)))
                // Ordering only: the head is read and admitted (by the old key) before the reload.
                try await Task.sleep(for: .milliseconds(300))

                try sandbox.write("callback-keys", "\(Self.newKey)\n")
                #expect(await Self.hangUp(server, expecting: "configuration reloaded", count: 1), "\(server.stderr)")
                try connection.send(String(body.dropFirst(20)))
                let answers = try RawConnection.responses(in: try await connection.readToEnd())
                #expect(answers.map(\.status) == [200], "\(answers.map(\.body))")

                let after = try await setup.send(client, server, jobId: ProcessEvent.jobId("after"))
                #expect(after.status == 403, "a new request with the removed key: \(after)")
                _ = try await server.terminate()
            }
        }

        @Test("at debug level, start, reload and shutdown log no callback key")
        func debugLogsNoKey() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            let secret = "EnvironmentKeyNotToBeLogged0042"
            try await ProcessHTTP.withClient { client in
                let server = try await sandbox.startServer(
                    setup.arguments(["--log-level", "debug"]), dataDir: setup.dataDir,
                    environment: ["VODHOOK_CALLBACK_KEYS": secret], client: client)
                defer { server.child.forceKill() }
                #expect(await Self.hangUp(server, expecting: "configuration reloaded", count: 1), "\(server.stderr)")
                let exit = try await server.terminate()
                #expect(exit.isCleanExit, "\(exit)")
                #expect(server.stderr.contains("debug"), "no debug line: \(server.stderr)")
                #expect(!server.stderr.contains(secret), "a callback key in the log")
            }
        }

        @Test("with NOTIFY_SOCKET, serve tells systemd READY=1, RELOADING=1 then READY=1 on SIGHUP, STOPPING=1 on SIGTERM")
        func systemdNotify() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            let notify = try NotifySocket(path: sandbox.file("notify.sock"))
            defer { notify.close() }
            try await ProcessHTTP.withClient { client in
                let server = try await sandbox.startServer(
                    setup.arguments(), dataDir: setup.dataDir, environment: ["NOTIFY_SOCKET": notify.path], client: client)
                defer { server.child.forceKill() }
                #expect(try await notify.next() == ["READY=1"])

                server.child.signal(SIGHUP)
                let reloading = try await notify.next()
                #expect(
                    reloading.first == "RELOADING=1" && reloading.contains { $0.hasPrefix("MONOTONIC_USEC=") }, "\(reloading)")
                #expect(try await notify.next() == ["READY=1"])

                server.child.signal(SIGTERM)
                #expect(try await notify.next() == ["STOPPING=1"])
                #expect(await server.child.waitForExit(timeout: .seconds(20))?.isCleanExit == true, "\(server.stderr)")
            }
        }
    }
}

/// A unix datagram socket standing in for systemd's `$NOTIFY_SOCKET`.
final class NotifySocket: Sendable {
    let path: String
    let fd: Int32

    init(path: String) throws {
        self.path = path
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw ProcessHarnessError("socket: errno \(errno)") }
        // A receive that waits longer than this fails the test instead of hanging it.
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw ProcessHarnessError("bind \(path): errno \(errno)") }
    }

    /// The lines of the next datagram, received on a thread of its own (a blocking recv on the
    /// cooperative pool could starve the test's HTTP client).
    func next() async throws -> [String] {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                var buffer = [UInt8](repeating: 0, count: 4096)
                let count = buffer.withUnsafeMutableBytes { recv(self.fd, $0.baseAddress, $0.count, 0) }
                guard count > 0 else {
                    continuation.resume(throwing: ProcessHarnessError("no datagram on NOTIFY_SOCKET: errno \(errno)"))
                    return
                }
                let text = String(decoding: buffer[..<count], as: UTF8.self)
                continuation.resume(returning: text.split(separator: "\n").map(String.init))
            }.start()
        }
    }

    func close() {
        Glibc.close(fd)
    }
}
