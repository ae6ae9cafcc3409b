import Foundation
import Testing
import VODHook

@Suite("Access: who may read the key, and where unsigned callbacks are allowed")
struct ConfigAccessTests {
    @Test(
        "--insecure-no-auth is refused on a listener other hosts can reach, naming the key and the listener",
        arguments: [
            "0.0.0.0:8080", ":8080", "192.168.1.5:80", "[::]:8080", "media.example.com:80", "127.example.com:80",
        ])
    func insecureRefusedOffLoopback(listen: String) {
        let error = #expect(throws: ConfigError.self) {
            try ServeSettings.load(
                flags: ServeFlags([.listen: listen, .insecureNoAuth: "true"]), environment: [:], configFile: nil)
        }
        let message = error?.description ?? ""
        #expect(message.contains("--insecure-no-auth"), "\(message)")
        #expect(message.contains("loopback"), "\(message)")
        #expect(message.contains(ListenAddress(listen)?.description ?? listen), "\(message)")
    }

    @Test("the same refusal names the variable or the file key it came from")
    func insecureRefusedFromEveryLayer() throws {
        try withConfigScratch { scratch in
            let file = try scratch.write("vodhook.yaml", "listen: \":8080\"\ninsecure_no_auth: true\n")
            let fromFile = #expect(throws: ConfigError.self) {
                try ServeSettings.load(flags: ServeFlags(), environment: [:], configFile: file)
            }
            #expect(fromFile?.description.contains("insecure_no_auth") == true)
            let fromEnvironment = #expect(throws: ConfigError.self) {
                try ServeSettings.load(
                    flags: ServeFlags(), environment: ["VODHOOK_LISTEN": "0.0.0.0:80", "VODHOOK_INSECURE_NO_AUTH": "yes"],
                    configFile: nil)
            }
            #expect(fromEnvironment?.description.contains("VODHOOK_INSECURE_NO_AUTH") == true)
        }
    }

    @Test(
        "--insecure-no-auth stays allowed on loopback and unix sockets",
        arguments: [
            "127.0.0.1:8080", "127.1.2.3:0", "localhost:80", "LOCALHOST:80", "[::1]:8080", "unix:/run/vodhook.sock",
        ])
    func insecureAllowedLocally(listen: String) throws {
        let settings = try ServeSettings.load(
            flags: ServeFlags([.listen: listen, .insecureNoAuth: "true"]), environment: [:], configFile: nil)
        #expect(settings.insecureNoAuth)
    }

    @Test(
        "a key file its group or others have any permission on is refused with the chmod to run",
        arguments: [
            0o644, 0o640, 0o604, 0o620, 0o660, 0o666,
        ])
    func openKeyFileRefused(mode: Int) throws {
        try withConfigScratch { scratch in
            let keyFile = try scratch.write("keys", bytes: Array("secretKey123\n".utf8), mode: mode)
            let settings = ServeSettings(keyFile: keyFile, dataDir: scratch.path("data"))
            #expect(throws: ConfigError.keyFileNotPrivate(path: keyFile, mode: mode)) {
                try CallbackKeySource.resolve(settings: settings)
            }
            let message = ConfigError.keyFileNotPrivate(path: keyFile, mode: mode).description
            #expect(message.contains("chmod 600 \(keyFile)"))
            #expect(message.contains(String(mode, radix: 8)))
            #expect(!message.contains("secretKey123"))
        }
    }

    @Test("a generated callback-key made readable by others is refused too")
    func openGeneratedKeyRefused() throws {
        try withConfigScratch { scratch in
            let dataDir = scratch.path("data")
            let first = try CallbackKeySource.resolve(settings: ServeSettings(dataDir: dataDir))
            let path = try #require(first.generatedAt)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
            #expect(throws: ConfigError.keyFileNotPrivate(path: path, mode: 0o644)) {
                try CallbackKeySource.resolve(settings: ServeSettings(dataDir: dataDir))
            }
        }
    }

    @Test("a key file that only its owner can read (0600, 0400) is accepted", arguments: [0o600, 0o400])
    func privateKeyFileAccepted(mode: Int) throws {
        try withConfigScratch { scratch in
            let keyFile = try scratch.write("keys", bytes: Array("secretKey123\n".utf8), mode: mode)
            let resolved = try CallbackKeySource.resolve(settings: ServeSettings(keyFile: keyFile, dataDir: scratch.path("data")))
            #expect(resolved.keys == ["secretKey123"])
        }
    }
}
