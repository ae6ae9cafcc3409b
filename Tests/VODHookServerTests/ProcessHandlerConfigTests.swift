import Foundation
import Testing
import VODHookCore

extension ProcessTests {
    /// `vodhook config check`, and `serve` with handlers it does not run yet.
    @Suite("handler configuration in the real binary", .serialized)
    struct ProcessHandlerConfigTests {
        static let handlers = """
            max_skew: 60
            handlers:
              - name: save
                match: { event: VideoAIComplete, status: success }
                write: { dir: /var/lib/vodhook/results }
              - name: notify
                match: { event: AIVideoTagComplete }
                exec: { argv: ["/usr/local/bin/notify", "--job", "{job_id}"], timeout: 30s, max_concurrent: 4, env: { TOKEN: hunter2 } }
              - name: retry
                match: { event: VideoAIComplete, status: fail }
                resubmit: { max_attempts: 3, backoff: 1m, confirm: true }
            """

        @Test("config check prints the settings and one line per handler, exit 0")
        func valid() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let config = try sandbox.write("vodhook.yaml", Self.handlers)
            let result = try await sandbox.runVODHook(
                ["config", "check", "--config", config],
                environment: ["VODHOOK_CALLBACK_KEYS": "Zq7secretKEY"])
            #expect(result.exit.isCleanExit, "\(result)")
            #expect(result.stdout.contains("max_skew=60"), "\(result)")
            #expect(result.stdout.contains("handlers: 3"), "\(result)")
            #expect(
                result.stdout.contains(
                    "save: write raw to /var/lib/vodhook/results/{media_id}/{job_id}.{ai_type}.json on event VideoAIComplete status success"
                ), "\(result)")
            #expect(result.stdout.contains("notify: exec /usr/local/bin/notify"), "\(result)")
            #expect(result.stdout.contains("retry: resubmit"), "\(result)")
            #expect(!result.stdout.contains("hunter2") && !result.stdout.contains("Zq7secretKEY"), "\(result)")
        }

        @Test("config check lists every problem of settings and handlers, naming them, exit 1")
        func invalid() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let config = try sandbox.write(
                "vodhook.yaml",
                Self.handlers
                    .replacingOccurrences(of: "timeout: 30s", with: "timeout: soon")
                    .replacingOccurrences(of: "backoff: 1m", with: "backof: 1m"))
            let result = try await sandbox.runVODHook(
                ["config", "check", "--config", config],
                environment: ["VODHOOK_MAX_SKEW": "abc"])
            #expect(result.exit.status == 1 && !result.exit.signaled, "\(result)")
            #expect(result.stderr.contains("VODHOOK_MAX_SKEW"), "\(result)")
            #expect(result.stderr.contains("handlers[2] \"notify\", exec.timeout (line 8): \"soon\" is not valid"), "\(result)")
            #expect(result.stderr.contains("handlers[3] \"retry\", resubmit.backof (line 11): unknown key"), "\(result)")
            #expect(!result.stderr.contains("hunter2"), "\(result)")
        }

        @Test("config check of a missing file, or of a file with an unknown key, exit 1 naming it once")
        func badFile() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let missing = try await sandbox.runVODHook(["config", "check", "--config", sandbox.file("nope.yaml")])
            #expect(missing.exit.status == 1, "\(missing)")
            #expect(missing.stderr.components(separatedBy: "does not exist").count == 2, "\(missing)")
            let unknown = try sandbox.write("unknown.yaml", "handler:\n  - name: x\n")
            let typo = try await sandbox.runVODHook(["config", "check", "--config", unknown])
            #expect(typo.exit.status == 1 && typo.stderr.contains("did you mean handlers?"), "\(typo)")
        }

        @Test("serve refuses a bad handler, naming its key")
        func serveRefuses() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let bad = try sandbox.write("bad.yaml", Self.handlers.replacingOccurrences(of: "timeout: 30s", with: "timeout: soon"))
            try await ProcessConfigTests.expectRefused(sandbox, ["--config", bad], naming: ["exec.timeout"])
        }

        @Test("serve with a resubmit handler and no VOD API credentials refuses to start, naming the handler")
        func resubmitNeedsCredentials() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let config = try sandbox.write("vodhook.yaml", Self.handlers)
            try await ProcessConfigTests.expectRefused(
                sandbox, ["--config", config], environment: ["HOME": sandbox.path],
                naming: ["handler retry (resubmit) calls the VOD API: ALIBABA_CLOUD_ACCESS_KEY_ID is not set"])
        }
    }
}
