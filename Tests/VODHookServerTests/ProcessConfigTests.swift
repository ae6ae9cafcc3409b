import Foundation
import Testing

extension ProcessTests {
    /// Bad configuration stops `vodhook serve` before it listens, naming the setting and never the key.
    @Suite("configuration errors of the real binary", .serialized)
    struct ProcessConfigTests {
        static let secret = "Zq7secretKEYnotToBeShown42"

        /// Runs `serve` with a key in VODHOOK_CALLBACK_KEYS and checks it stops, names `names`
        /// (one of them suffices) and shows no key.
        static func expectRefused(
            _ sandbox: ProcessSandbox, _ arguments: [String], environment: [String: String] = [:], naming names: [String],
            hidden: [String] = [secret], sourceLocation: SourceLocation = #_sourceLocation
        ) async throws {
            var environment = environment
            if environment["VODHOOK_CALLBACK_KEYS"] == nil { environment["VODHOOK_CALLBACK_KEYS"] = secret }
            let dataDir = sandbox.file("data-\(UUID().uuidString.prefix(8))")
            let result = try await sandbox.runVODHook(
                ["serve", "--listen", "127.0.0.1:0", "--data-dir", dataDir] + arguments,
                environment: environment, timeout: .seconds(20))
            #expect(
                !result.exit.isCleanExit && !result.exit.signaled, "\(arguments) \(environment): \(result)",
                sourceLocation: sourceLocation)
            #expect(
                names.contains { result.stderr.contains($0) }, "the message names none of \(names): \(result)",
                sourceLocation: sourceLocation)
            for value in hidden {
                #expect(
                    !result.stderr.contains(value) && !result.stdout.contains(value),
                    "the output shows the callback key: \(result)", sourceLocation: sourceLocation)
            }
            #expect(!result.stderr.contains("listening"), "serve started anyway: \(result)", sourceLocation: sourceLocation)
            #expect(
                !FileManager.default.fileExists(atPath: dataDir + "/ledger.jsonl"), "serve opened a ledger anyway",
                sourceLocation: sourceLocation)
        }

        @Test("--max-skew abc stops serve with an error naming max-skew and not the key")
        func badFlagValue() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            try await Self.expectRefused(sandbox, ["--max-skew", "abc"], naming: ["max-skew", "max_skew"])
        }

        @Test("a config file with an unknown key stops serve with an error naming that key and not the callback key")
        func unknownFileKey() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let config = try sandbox.write("vodhook.yaml", "max_skew: 60\nretention_days: 7\n")
            try await Self.expectRefused(sandbox, ["--config", config], naming: ["retention_days"])
        }

        @Test("an unknown VODHOOK_* variable stops serve with an error naming it and not the key")
        func unknownEnvironmentVariable() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            try await Self.expectRefused(sandbox, [], environment: ["VODHOOK_PUBLICURL": "x"], naming: ["VODHOOK_PUBLICURL"])
        }

        @Test("a key file other users can read stops serve with the chmod to run, never the key")
        func openKeyFile() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let keyFile = try sandbox.write("callback-keys", "KeyFromAnOpenFile0123\n", mode: 0o644)
            try await Self.expectRefused(
                sandbox, ["--key-file", keyFile], naming: ["chmod 600 \(keyFile)"],
                hidden: [Self.secret, "KeyFromAnOpenFile0123"])
        }

        @Test("--insecure-no-auth on a listener other hosts can reach stops serve, naming the flag and the listener")
        func insecureOffLoopback() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            try await Self.expectRefused(
                sandbox, ["--listen", "0.0.0.0:0", "--insecure-no-auth"], naming: ["--insecure-no-auth"])
        }

        @Test("--max-skew beyond an hour stops serve, naming max-skew and the range")
        func maxSkewCapped() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            try await Self.expectRefused(sandbox, ["--max-skew", "999999"], naming: ["--max-skew"])
            let result = try await sandbox.runVODHook(
                ["serve", "--listen", "127.0.0.1:0", "--max-skew", "999999"], environment: ["VODHOOK_CALLBACK_KEYS": Self.secret],
                timeout: .seconds(20))
            #expect(result.stderr.contains("1 to 3600"), "\(result)")
        }

        @Test("a malformed key in VODHOOK_CALLBACK_KEYS stops serve without showing either key")
        func malformedCallbackKey() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            try await Self.expectRefused(
                sandbox, [], environment: ["VODHOOK_CALLBACK_KEYS": Self.secret + ",bad key\twith-blanks"],
                naming: ["VODHOOK_CALLBACK_KEYS"], hidden: [Self.secret, "bad key", "with-blanks"])
        }
    }
}
