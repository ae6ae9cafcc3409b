import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import VODHookCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
// sockaddr_in may be owned by NIO's C shim module, depending on which module clang built first.
#if canImport(CNIOLinux)
import CNIOLinux
#endif

// The harness of the tests that run the real `vodhook` binary as a child process
// (ProcessServeTests, ProcessCrashTests, ProcessFailureTests, ProcessConfigTests).
//
// Every child is started in a fresh temporary directory, its stdout and stderr go to files there,
// every wait is bounded in time, and every child is SIGKILLed in a `defer` when a test leaves early.

/// All child-process suites hang under this one, so they run one at a time: they start servers,
/// SIGKILL them under load and measure nothing by the clock, but two cores are easily swamped.
@Suite("vodhook as a child process", .serialized)
struct ProcessTests {}

/// Failures of the harness itself, with what the child said.
struct ProcessHarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

// MARK: - The binary

enum ProcessBinary {
    /// `$VODHOOK_BIN`, else `vodhook` next to the test bundle (`swift build --build-tests` puts it there).
    static func path() throws -> String {
        if let override = ProcessInfo.processInfo.environment["VODHOOK_BIN"], !override.isEmpty {
            guard FileManager.default.isExecutableFile(atPath: override) else {
                throw ProcessHarnessError("VODHOOK_BIN=\(override) is not an executable file")
            }
            return override
        }
        var candidates: [String] = []
        if let first = CommandLine.arguments.first {
            candidates.append(URL(fileURLWithPath: first).deletingLastPathComponent().appendingPathComponent("vodhook").path)
        }
        let bundle = URL(fileURLWithPath: Bundle.main.bundlePath)
        candidates.append(bundle.appendingPathComponent("vodhook").path)
        candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("vodhook").path)
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        throw ProcessHarnessError(
            "no vodhook binary at \(candidates.joined(separator: " or ")); run `swift build --build-tests` or set VODHOOK_BIN")
    }

    /// The environment children get: ours without any `VODHOOK_*` variable, plus `extra`.
    static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("VODHOOK_") }
        for (name, value) in extra { environment[name] = value }
        return environment
    }
}

// MARK: - A temporary directory

/// A fresh directory under /tmp (short, so unix socket paths stay under 108 bytes).
struct ProcessSandbox: Sendable {
    let path: String

    init() throws {
        var template = Array("/tmp/vodhook-proc.XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            return mkdtemp(base) != nil
        }
        guard made else { throw ProcessHarnessError("mkdtemp failed: errno \(errno)") }
        path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    func file(_ name: String) -> String { path + "/" + name }

    @discardableResult
    func write(_ name: String, _ text: String, mode: Int = 0o600) throws -> String {
        let target = file(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: target))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: target)
        return target
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

// MARK: - A child process

/// How a child ended.
struct ProcessExit: Sendable, Equatable, CustomStringConvertible {
    /// The exit status, or the signal number when `signaled`.
    let status: Int32
    let signaled: Bool

    var isCleanExit: Bool { !signaled && status == 0 }
    var description: String { signaled ? "killed by signal \(status)" : "exit status \(status)" }
}

/// A child started with Foundation `Process`, stdout and stderr into files.
final class ProcessChild: @unchecked Sendable {
    // `Process` is used from one test task at a time; @unchecked only to pass it into tasks.
    private let process: Process
    let stdoutPath: String
    let stderrPath: String
    let pid: Int32

    init(
        executable: String, arguments: [String], directory: String, environment: [String: String],
        stdoutPath: String, stderrPath: String
    ) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = environment
        for path in [stdoutPath, stderrPath] {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw ProcessHarnessError("cannot create \(path)")
            }
        }
        guard let out = FileHandle(forWritingAtPath: stdoutPath), let err = FileHandle(forWritingAtPath: stderrPath) else {
            throw ProcessHarnessError("cannot open \(stdoutPath) / \(stderrPath)")
        }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        defer {
            try? out.close()
            try? err.close()
        }
        try process.run()
        self.process = process
        self.pid = process.processIdentifier
        self.stdoutPath = stdoutPath
        self.stderrPath = stderrPath
    }

    var isRunning: Bool { process.isRunning }

    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// How it ended; nil while running.
    var exit: ProcessExit? {
        guard !process.isRunning else { return nil }
        return ProcessExit(status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal)
    }

    func signal(_ signal: Int32) {
        if process.isRunning { _ = Glibc.kill(pid, signal) }
    }

    /// Polls until the child has exited, at most `timeout`; nil when it is still running.
    func waitForExit(timeout: Duration) async -> ProcessExit? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let exit { return exit }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return exit
    }

    /// SIGKILL and reap, synchronously (for `defer`); bounded to a few seconds.
    func forceKill() {
        guard process.isRunning else { return }
        _ = Glibc.kill(pid, SIGKILL)
        for _ in 0..<500 where process.isRunning { usleep(10_000) }
    }
}

/// What a finished command printed.
struct ProcessCLIResult: Sendable, CustomStringConvertible {
    let exit: ProcessExit
    let stdout: String
    let stderr: String

    var description: String { "\(exit)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
}

extension ProcessSandbox {
    /// Runs `vodhook <arguments>` in this directory to completion (at most `timeout`, then SIGKILL).
    func runVODHook(
        _ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(30)
    ) async throws -> ProcessCLIResult {
        try await run(try ProcessBinary.path(), arguments, environment: environment, timeout: timeout)
    }

    /// Starts `vodhook <arguments>` here and returns at once (the caller ends it). With `terminal`,
    /// it runs in a pseudo-terminal made by `script` (util-linux), whose output, stdout and stderr
    /// together, is the child's stdout file; its pid is then `script`'s.
    func spawnVODHook(_ arguments: [String], environment: [String: String] = [:], terminal: Bool = false) throws -> ProcessChild {
        let binary = try ProcessBinary.path()
        let tag = UUID().uuidString.prefix(8)
        let quoted = ([binary] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: #"'\''"#) + "'" }
        return try ProcessChild(
            executable: terminal ? "/usr/bin/script" : binary,
            arguments: terminal ? ["-qfec", "exec " + quoted.joined(separator: " "), "/dev/null"] : arguments,
            directory: path, environment: ProcessBinary.environment(environment),
            stdoutPath: file("spawn-\(tag).out"), stderrPath: file("spawn-\(tag).err"))
    }

    /// Runs `executable <arguments>` in this directory to completion (at most `timeout`, then SIGKILL).
    func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(30)
    ) async throws -> ProcessCLIResult {
        let tag = UUID().uuidString.prefix(8)
        let child = try ProcessChild(
            executable: executable, arguments: arguments, directory: path,
            environment: ProcessBinary.environment(environment),
            stdoutPath: file("cli-\(tag).out"), stderrPath: file("cli-\(tag).err"))
        defer { child.forceKill() }
        guard let exit = await child.waitForExit(timeout: timeout) else {
            child.forceKill()
            throw ProcessHarnessError(
                "\(executable) \(arguments.joined(separator: " ")) did not finish within \(timeout)\n--- stderr\n\(child.stderr)")
        }
        return ProcessCLIResult(exit: exit, stdout: child.stdout, stderr: child.stderr)
    }
}

// MARK: - A running server

/// Where a started server listens, from its `listening address=…` notice.
enum ProcessServerAddress: Sendable, Equatable {
    case tcp(host: String, port: Int)
    case unix(path: String)

    init?(_ text: String) {
        if text.hasPrefix("unix:") {
            self = .unix(path: String(text.dropFirst(5)))
        } else if let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]) {
            self = .tcp(host: String(text[..<colon]), port: port)
        } else {
            return nil
        }
    }

    /// The URL of `path` (with a leading slash) on this listener.
    func url(_ path: String) -> String {
        switch self {
        case .tcp(let host, let port):
            "http://\(host):\(port)\(path)"
        case .unix(let socket):
            URL(httpURLWithSocketPath: socket, uri: path)?.absoluteString ?? "http+unix://invalid\(path)"
        }
    }
}

/// A `vodhook serve` child that has announced its address and answered `/readyz` 200.
final class ProcessServer: Sendable {
    let child: ProcessChild
    let address: ProcessServerAddress
    /// The `--admin-listen` listener's address, when serve was given one.
    let adminAddress: ProcessServerAddress?
    let dataDir: String

    init(child: ProcessChild, address: ProcessServerAddress, adminAddress: ProcessServerAddress? = nil, dataDir: String) {
        self.child = child
        self.address = address
        self.adminAddress = adminAddress
        self.dataDir = dataDir
    }

    var pid: Int32 { child.pid }
    var stderr: String { child.stderr }
    func url(_ path: String) -> String { address.url(path) }

    /// SIGTERM and wait (bounded) for the exit.
    func terminate(timeout: Duration = .seconds(20)) async throws -> ProcessExit {
        child.signal(SIGTERM)
        guard let exit = await child.waitForExit(timeout: timeout) else {
            child.forceKill()
            throw ProcessHarnessError("vodhook serve did not exit within \(timeout) of SIGTERM\n--- stderr\n\(stderr)")
        }
        return exit
    }

    /// SIGKILL and wait (bounded) until it is reaped.
    func kill() async {
        child.signal(SIGKILL)
        _ = await child.waitForExit(timeout: .seconds(10))
    }

    /// The soft RLIMIT_FSIZE of the running process in bytes (nil when unlimited), from /proc.
    func fileSizeLimit() throws -> Int? {
        try softLimit("Max file size")
    }

    /// The soft RLIMIT_NOFILE of the running process (nil when unlimited), from /proc.
    func openFileLimit() throws -> Int? {
        try softLimit("Max open files")
    }

    /// The soft value of the `/proc/<pid>/limits` row `name` (nil when unlimited).
    private func softLimit(_ name: String) throws -> Int? {
        let limits = try String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8)
        guard let line = limits.split(separator: "\n").first(where: { $0.hasPrefix(name) }) else {
            throw ProcessHarnessError("no '\(name)' in /proc/\(pid)/limits")
        }
        let fields = line.dropFirst(name.count).split(separator: " ")
        guard let soft = fields.first else { throw ProcessHarnessError("cannot read \(line)") }
        return soft == "unlimited" ? nil : Int(soft)
    }

    /// How many descriptors the process has open (each accepted connection is one).
    func openDescriptors() -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []).count
    }

    /// Its resident memory in KiB (`VmRSS`), or nil when /proc does not say.
    func residentKiB() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return nil }
        return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
    }
}

/// The exit of a `serve` that stopped before it was ready.
struct ProcessServerDidNotStart: Error, CustomStringConvertible {
    let exit: ProcessExit?
    let stderr: String
    var description: String { "vodhook serve did not start (\(exit.map { "\($0)" } ?? "still running"))\n--- stderr\n\(stderr)" }
}

extension ProcessSandbox {
    /// Starts `vodhook serve <arguments>` here and returns once it has announced its address
    /// and `/readyz` answered 200 (each within `timeout`; with `awaitReady` false, once it
    /// listens). `shellPrefix` runs it as
    /// `/bin/sh -c '<shellPrefix>; exec vodhook serve …'` (same pid, e.g. for `ulimit`).
    func startServer(
        _ arguments: [String], dataDir: String, environment: [String: String] = [:], shellPrefix: String? = nil,
        client: HTTPClient, timeout: Duration = .seconds(20), awaitReady: Bool = true
    ) async throws -> ProcessServer {
        let binary = try ProcessBinary.path()
        let tag = UUID().uuidString.prefix(8)
        let executable: String
        var argv: [String]
        if let shellPrefix {
            executable = "/bin/sh"
            argv = ["-c", shellPrefix + "; exec \"$0\" \"$@\"", binary, "serve"] + arguments
        } else {
            executable = binary
            argv = ["serve"] + arguments
        }
        let child = try ProcessChild(
            executable: executable, arguments: argv, directory: path, environment: ProcessBinary.environment(environment),
            stdoutPath: file("serve-\(tag).out"), stderrPath: file("serve-\(tag).err"))
        do {
            let address = try await Self.awaitListening(child, suffix: " listening", timeout: timeout)
            // With --admin-listen, /readyz is only there.
            let admin =
                arguments.contains("--admin-listen")
                ? try await Self.awaitListening(
                    child, suffix: " admin listener up: /healthz, /readyz, /metrics, /status, /api", timeout: timeout) : nil
            let server = ProcessServer(child: child, address: address, adminAddress: admin, dataDir: dataDir)
            if awaitReady { try await Self.awaitReady(server, client: client, timeout: timeout) }
            return server
        } catch {
            child.forceKill()
            throw error
        }
    }

    /// The `address=` of the first log line ending with `suffix`.
    private static func awaitListening(_ child: ProcessChild, suffix: String, timeout: Duration) async throws
        -> ProcessServerAddress
    {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let log = child.stderr
            for line in log.split(separator: "\n") where line.hasSuffix(suffix) {
                if let field = line.split(separator: " ").first(where: { $0.hasPrefix("address=") }),
                    let address = ProcessServerAddress(String(field.dropFirst("address=".count)))
                {
                    return address
                }
            }
            if let exit = child.exit { throw ProcessServerDidNotStart(exit: exit, stderr: child.stderr) }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ProcessServerDidNotStart(exit: nil, stderr: child.stderr)
    }

    static func awaitReady(_ server: ProcessServer, client: HTTPClient, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        var last = "no answer"
        while ContinuousClock.now < deadline {
            if let exit = server.child.exit { throw ProcessServerDidNotStart(exit: exit, stderr: server.stderr) }
            do {
                let answer = try await ProcessHTTP.get(client, (server.adminAddress ?? server.address).url("/readyz"))
                if answer.status == 200 { return }
                last = "HTTP \(answer.status) \(answer.body)"
            } catch {
                last = "\(error)"
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ProcessHarnessError("/readyz did not answer 200 within \(timeout) (last: \(last))\n--- stderr\n\(server.stderr)")
    }
}

// MARK: - HTTP

struct ProcessHTTPAnswer: Sendable, CustomStringConvertible {
    let status: Int
    let body: String
    /// The `Retry-After` header, when there was one.
    var retryAfter: String? = nil
    var description: String { "HTTP \(status) \(body.trimmingCharacters(in: .whitespacesAndNewlines))" }

    /// `"duplicate":true` in an accepted answer.
    var isDuplicate: Bool { body.contains(#""duplicate":true"#) }

    /// The `seq` of an accepted answer (`{"seq":4,"duplicate":false}`).
    var seq: UInt64? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
            let number = object["seq"] as? NSNumber
        else { return nil }
        return number.uint64Value
    }
}

enum ProcessHTTP {
    /// A client of its own, shut down after `body` whatever happens.
    static func withClient<T>(_ body: (HTTPClient) async throws -> T) async throws -> T {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(15))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let result: T
        do {
            result = try await body(client)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        return result
    }

    static func get(_ client: HTTPClient, _ url: String) async throws -> ProcessHTTPAnswer {
        try await send(client, url, method: .GET)
    }

    static func send(
        _ client: HTTPClient, _ url: String, method: HTTPMethod = .POST, headers: [(String, String)] = [],
        body: HTTPClientRequest.Body? = nil, timeout: Duration = .seconds(15)
    ) async throws -> ProcessHTTPAnswer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = body }
        let response = try await client.execute(request, timeout: .seconds(Int64(timeout.components.seconds)))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return ProcessHTTPAnswer(
            status: Int(response.status.code), body: String(buffer: bytes),
            retryAfter: response.headers.first(name: "retry-after"))
    }
}

// MARK: - Signed events

/// Signs as VOD does, for one public URL and key.
struct ProcessSigner: Sendable {
    let publicURL: String
    let key: String

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }

    func headers(timestamp: Int64 = ProcessSigner.now(), key override: String? = nil) -> [(String, String)] {
        let text = String(timestamp)
        return [
            ("Content-Type", "application/json"),
            ("X-VOD-TIMESTAMP", text),
            ("X-VOD-SIGNATURE", CallbackVerifier.sign(url: publicURL, timestamp: text, key: override ?? key)),
        ]
    }

    /// POSTs `body` signed to `path` of `server`.
    func post(
        _ client: HTTPClient, _ server: ProcessServer, body: [UInt8], path: String = "/vod/callback",
        timeout: Duration = .seconds(15)
    ) async throws -> ProcessHTTPAnswer {
        try await ProcessHTTP.send(
            client, server.url(path), headers: headers(), body: .bytes(ByteBuffer(bytes: body)), timeout: timeout)
    }
}

enum ProcessEvent {
    /// A compact AI event body; `pad` adds a `"Pad"` string of that many bytes (to size ledger lines).
    static func body(jobId: String, status: String = "success", pad: Int = 0) -> [UInt8] {
        var text =
            #"{"EventTime":"2026-11-26T05:33:15Z","EventType":"AIVideoTagComplete","JobId":"\#(jobId)","#
            + #""MediaId":"4fefd4f434d07c2005373156a727d707","Status":"\#(status)","Code":"0","Message":"OK""#
        if pad > 0 { text += #","Pad":""# + String(repeating: "x", count: pad) + "\"" }
        text += "}"
        return Array(text.utf8)
    }

    /// The byte length of the ledger line the server writes for `body` as line `seq`.
    static func ledgerLineLength(_ body: [UInt8], seq: UInt64) throws -> Int {
        let envelope = try EventParser.envelope(of: body)
        // Any instant in years 1000–9999: `at` is always 24 bytes.
        return LedgerLine.encode(seq: seq, at: 1_795_953_821_000, record: .event(EventRecord(envelope: envelope, body: body)))
            .count
    }

    /// A unique JobId.
    static func jobId(_ prefix: String = "job") -> String {
        prefix + "-" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    }
}

// MARK: - The ledger on disk

enum ProcessLedger {
    static func path(_ dataDir: String, file: String = LedgerFileName.liveName) -> String { dataDir + "/" + file }

    /// The live file's bytes, or another ledger file's (empty when missing).
    static func bytes(_ dataDir: String, file: String = LedgerFileName.liveName) -> [UInt8] {
        (try? Data(contentsOf: URL(fileURLWithPath: path(dataDir, file: file)))).map(Array.init) ?? []
    }

    /// The live file's lines (or another ledger file's), decoded; a line that does not decode is a test failure.
    static func entries(
        _ dataDir: String, file: String = LedgerFileName.liveName, sourceLocation: SourceLocation = #_sourceLocation
    ) -> [LedgerEntry] {
        let bytes = bytes(dataDir, file: file)
        var entries: [LedgerEntry] = []
        for (index, line) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            do {
                entries.append(try LedgerLine.decode(line))
            } catch {
                Issue.record(
                    "ledger line \(index + 1) does not decode: \(error): \(String(decoding: line, as: UTF8.self))",
                    sourceLocation: sourceLocation)
            }
        }
        return entries
    }

    /// Files in `dataDir` whose name starts with `prefix`.
    static func files(_ dataDir: String, prefix: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dataDir)) ?? []).filter { $0.hasPrefix(prefix) }.sorted()
    }
}

// MARK: - The usual setup

/// A data directory, a key file and the public URL the events are signed for.
struct ProcessServeSetup: Sendable {
    static let publicURL = "http://vodhook.test/vod/callback"

    let sandbox: ProcessSandbox
    let dataDir: String
    let keyFile: String
    let signer: ProcessSigner

    init(_ sandbox: ProcessSandbox, key: String = "process-test-key-0123456789abcdef") throws {
        self.sandbox = sandbox
        dataDir = sandbox.file("data")
        keyFile = try sandbox.write("callback-keys", key + "\n")
        signer = ProcessSigner(publicURL: Self.publicURL, key: key)
    }

    /// `serve` arguments for this setup.
    func arguments(listen: String = "127.0.0.1:0", _ extra: [String] = []) -> [String] {
        ["--listen", listen, "--public-url", Self.publicURL, "--key-file", keyFile, "--data-dir", dataDir] + extra
    }

    func start(
        client: HTTPClient, listen: String = "127.0.0.1:0", _ extra: [String] = [], shellPrefix: String? = nil
    ) async throws -> ProcessServer {
        try await sandbox.startServer(
            arguments(listen: listen, extra), dataDir: dataDir, shellPrefix: shellPrefix, client: client)
    }

    /// POSTs a signed event for `jobId` and returns the answer.
    func send(_ client: HTTPClient, _ server: ProcessServer, jobId: String, pad: Int = 0) async throws -> ProcessHTTPAnswer {
        try await signer.post(client, server, body: ProcessEvent.body(jobId: jobId, pad: pad))
    }

    /// `vodhook ledger verify --data-dir <dataDir>`.
    func verify() async throws -> ProcessCLIResult {
        try await sandbox.runVODHook(["ledger", "verify", "--data-dir", dataDir])
    }
}

// MARK: - Small helpers

enum ProcessPoll {
    /// Calls `check` every `interval` until it returns true or `timeout` passes; returns the last result.
    static func until(
        timeout: Duration, interval: Duration = .milliseconds(50), _ check: () async -> Bool
    ) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await check() { return true }
            try? await Task.sleep(for: interval)
        }
        return await check()
    }
}

enum ProcessFiles {
    /// The permission bits of `path` (not following a symlink), or nil when it does not exist.
    static func permissions(_ path: String) -> Int? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        return (attributes[.posixPermissions] as? NSNumber)?.intValue
    }

    /// The type of `path` (`.typeSocket`, `.typeRegular`, …), or nil when it does not exist.
    static func type(_ path: String) -> FileAttributeType? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        return attributes[.type] as? FileAttributeType
    }

    /// A free TCP port on 127.0.0.1 at this moment (bound to 0, read back, closed).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ProcessHarnessError("socket: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw ProcessHarnessError("bind: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw ProcessHarnessError("getsockname: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
