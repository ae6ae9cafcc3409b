import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import VODHook
import VODHookCore

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Show how vodhook stands: uptime, ledger files, size and last seq, pending and unknown jobs, last event, ready.",
        discussion: """
            With --admin, asks the running server's admin listener (`serve --admin-listen`) for its \
            /status. Without it, or when it does not answer and --data-dir is given, reads the \
            ledger files of --data-dir directly (safe while serve runs; uptime and readiness are \
            then unknown). The first line says which source answered.
            """)

    @Option(help: "The admin listener of a running serve: http://HOST:PORT, HOST:PORT or unix:PATH.")
    var admin: String?

    @Option(
        name: .customLong("data-dir"),
        help: "The data directory to read when there is no --admin, or it does not answer. (default: ./vodhook-data)")
    var dataDir: String?

    @Flag(help: "One JSON object instead of text.")
    var json = false

    func run() async throws {
        if let admin {
            let url = try Self.statusURL(admin)
            do {
                return try output(await Self.fetch(url), origin: url)
            } catch {
                guard let dataDir else { throw CLIError("no status from \(url): \(error)") }
                FileHandle.standardError.write(
                    Data("warning: no status from \(url) (\(error)); reading \(dataDir) instead\n".utf8))
            }
        }
        let directory = dataDir ?? "./vodhook-data"
        guard FileManager.default.fileExists(atPath: directory) else { throw CLIError("no data directory at \(directory)") }
        let status: ServerStatus
        do {
            status = try ServerStatus.read(dataDir: directory)
        } catch {
            throw CLIError("cannot read the ledger in \(directory): \(error)")
        }
        try output(status, origin: directory)
    }

    private func output(_ status: ServerStatus, origin: String) throws {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(status), as: UTF8.self))
        } else {
            print(status.text(now: WallClock.milliseconds(), where: origin), terminator: "")
        }
    }

    /// `/status` on the admin listener named as serve's `--admin-listen` takes it, or as a URL.
    static func statusURL(_ admin: String) throws -> String {
        if admin.hasPrefix("unix:") {
            guard let url = URL(httpURLWithSocketPath: String(admin.dropFirst(5)), uri: "/status") else {
                throw ValidationError("--admin: not a usable socket path: \(admin)")
            }
            return url.absoluteString
        }
        var base = admin.contains("://") ? admin : "http://" + admin
        while base.hasSuffix("/") { base.removeLast() }
        guard URL(string: base + "/status")?.host != nil else {
            throw ValidationError("--admin: expected http://HOST:PORT, HOST:PORT or unix:PATH, not \(admin)")
        }
        return base + "/status"
    }

    static func fetch(_ url: String) async throws -> ServerStatus {
        var configuration = HTTPClient.Configuration()
        // A refused connection means no server: say so at once rather than retry until the deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let result: Result<ServerStatus, any Error>
        do {
            let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(5))
            let body = try await response.body.collect(upTo: 1 << 20)
            if response.status == .ok {
                result = .success(try JSONDecoder().decode(ServerStatus.self, from: Data(body.readableBytesView)))
            } else {
                result = .failure(CLIError("HTTP \(response.status.code)"))
            }
        } catch {
            result = .failure(error)
        }
        try? await client.shutdown()
        return try result.get()
    }
}
