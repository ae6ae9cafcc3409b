import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import VODHook
import VODHookCore

struct SendTestEvent: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send-test-event",
        abstract: "POST a signed, realistic VOD event to a running vodhook and print the answer.",
        discussion: """
            Signs exactly as VOD does: md5(<sign-url>|<timestamp>|<key>). Use it to prove a fresh \
            install works, or to test the proxy in front of vodhook. Exits 0 on HTTP 200, 1 otherwise.
            """)

    @Option(help: "Where to POST. http+unix://<%2F-escaped socket path>/vod/callback reaches a unix socket.")
    var url = "http://127.0.0.1:8080/vod/callback"

    @Option(
        name: .customLong("sign-url"), help: "The callback URL as configured in VOD, which the signature covers. (default: --url)"
    )
    var signURL: String?

    @Option(name: .customLong("key-file"), help: "A file with the callback key on its first line.")
    var keyFile: String?

    @Option(help: "The callback key. Prefer --key-file: a command line is visible to other users.")
    var key: String?

    @Option(
        name: .customLong("data-dir"), help: "Without --key/--key-file: use the key `serve` generated in <data-dir>/callback-key."
    )
    var dataDir = "./vodhook-data"

    @Option(help: "Event type: \(SampleEvent.types.joined(separator: ", ")).")
    var type = "AIVideoTagComplete"

    @Option(name: .customLong("job-id"), help: "The JobId. (default: a new random one)")
    var jobId: String?

    @Option(name: .customLong("media-id"), help: "The MediaId (VideoId for media events).")
    var mediaId = "4fefd4f434d07c2005373156a727d707"

    @Option(help: "success or fail.")
    var status = "success"

    @Option(help: "Seconds to wait for the answer.")
    var timeout = 10

    func validate() throws {
        guard SampleEvent.types.contains(type) else {
            throw ValidationError("--type: one of \(SampleEvent.types.joined(separator: ", "))")
        }
        guard status == "success" || status == "fail" else { throw ValidationError("--status: success or fail") }
        guard key == nil || keyFile == nil else { throw ValidationError("--key and --key-file: give one") }
    }

    func run() async throws {
        let callbackKey = try resolveKey()
        let now = WallClock.milliseconds()
        let timestamp = String(now / 1000)
        let signature = CallbackVerifier.sign(url: signURL ?? url, timestamp: timestamp, key: callbackKey)
        let job = jobId ?? Self.randomHex(32)
        let eventTime = String(EventTime.rfc3339(milliseconds: now).prefix(19)) + "Z"
        guard let body = SampleEvent.body(type: type, jobId: job, mediaId: mediaId, status: status, eventTime: eventTime) else {
            throw CLIError("no sample for --type \(type)")
        }
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "X-VOD-TIMESTAMP", value: timestamp)
        request.headers.add(name: "X-VOD-SIGNATURE", value: signature)
        request.body = .bytes(ByteBuffer(string: body))
        let identity = type.hasPrefix("AI") ? "JobId=\(job)" : "VideoId=\(mediaId)"
        print("POST \(url)  \(type) \(identity) Status=\(status)")
        let response: HTTPClientResponse
        let answer: String
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .seconds(Int64(timeout)))
            answer = String(buffer: try await response.body.collect(upTo: 64 * 1024))
        } catch {
            throw CLIError("could not reach \(url): \(error)")
        }
        print("HTTP \(response.status.code) \(answer.trimmingCharacters(in: .whitespacesAndNewlines))")
        if response.status != .ok { throw ExitCode(1) }
    }

    private func resolveKey() throws -> String {
        if let key { return key }
        let path = keyFile ?? (dataDir + "/callback-key")
        let keys: [String]
        do {
            keys = try CallbackKeySource.readKeyFile(path)
        } catch {
            throw CLIError("\(error)\(keyFile == nil ? " (give --key-file, or run `vodhook serve` once to generate it)" : "")")
        }
        guard let first = keys.first else { throw CLIError("no key in \(path)") }
        return first
    }

    static func randomHex(_ count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in "0123456789abcdef".randomElement(using: &generator) ?? "0" })
    }
}
