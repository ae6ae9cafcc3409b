import Testing
import VODHook
import VODHookCore

/// One setting set at several layers, and how to read it back from the settings.
struct ConfigLayerCase: Sendable, CustomTestStringConvertible {
    var key: String
    var fileValue: String
    var environmentValue: String
    var flagValue: String
    var flags: @Sendable (String) -> ServeFlags
    var read: @Sendable (ServeSettings) -> String
    /// What `read` gives for each of the three values, in order file, environment, flag.
    var expected: (file: String, environment: String, flag: String)

    var testDescription: String { key }

    var environmentName: String { "VODHOOK_" + key.uppercased() }
}

@Suite("Configuration layering: flags > environment > file > defaults")
struct ConfigLayeringTests {
    static let cases: [ConfigLayerCase] = [
        .init(
            key: "listen", fileValue: "10.0.0.1:1", environmentValue: "10.0.0.2:2", flagValue: "10.0.0.3:3",
            flags: { ServeFlags([.listen: $0]) }, read: { $0.listen.description },
            expected: ("10.0.0.1:1", "10.0.0.2:2", "10.0.0.3:3")),
        .init(
            key: "admin_listen", fileValue: ":9001", environmentValue: "[::1]:9002", flagValue: "unix:/tmp/a.sock",
            flags: { ServeFlags([.adminListen: $0]) }, read: { $0.adminListen?.description ?? "nil" },
            expected: ("0.0.0.0:9001", "[::1]:9002", "unix:/tmp/a.sock")),
        .init(
            key: "public_url", fileValue: "https://f.example/vod/cb", environmentValue: "https://e.example/vod/cb",
            flagValue: "https://c.example/vod/cb",
            flags: { ServeFlags(lists: [.publicURL: [$0]]) }, read: { $0.publicURLs.joined(separator: " ") },
            expected: ("https://f.example/vod/cb", "https://e.example/vod/cb", "https://c.example/vod/cb")),
        .init(
            key: "key_file", fileValue: "file.keys", environmentValue: "env.keys", flagValue: "flag.keys",
            flags: { ServeFlags([.keyFile: $0]) }, read: { $0.keyFile ?? "nil" },
            expected: ("file.keys", "env.keys", "flag.keys")),
        .init(
            key: "data_dir", fileValue: "/var/lib/a", environmentValue: "/var/lib/b", flagValue: "c",
            flags: { ServeFlags([.dataDir: $0]) }, read: { $0.dataDir },
            expected: ("/var/lib/a", "/var/lib/b", "c")),
        .init(
            key: "max_skew", fileValue: "10", environmentValue: "20", flagValue: "30",
            flags: { ServeFlags([.maxSkew: $0]) }, read: { "\($0.maxSkew)" },
            expected: ("10", "20", "30")),
        .init(
            key: "max_body", fileValue: "1k", environmentValue: "2KiB", flagValue: "3072",
            flags: { ServeFlags([.maxBody: $0]) }, read: { "\($0.maxBody)" },
            expected: ("1024", "2048", "3072")),
        .init(
            key: "rotate_size", fileValue: "1m", environmentValue: "2MiB", flagValue: "3 MiB",
            flags: { ServeFlags([.rotateSize: $0]) }, read: { "\($0.rotateSize)" },
            expected: ("1048576", "2097152", "3145728")),
        .init(
            key: "max_connections", fileValue: "100", environmentValue: "200", flagValue: "300",
            flags: { ServeFlags([.maxConnections: $0]) }, read: { "\($0.maxConnections)" },
            expected: ("100", "200", "300")),
        .init(
            key: "idle_timeout", fileValue: "5", environmentValue: "6", flagValue: "7",
            flags: { ServeFlags([.idleTimeout: $0]) }, read: { "\($0.idleTimeout)" },
            expected: ("5", "6", "7")),
        .init(
            key: "insecure_no_auth", fileValue: "true", environmentValue: "no", flagValue: "true",
            flags: { ServeFlags([.insecureNoAuth: $0]) }, read: { "\($0.insecureNoAuth)" },
            expected: ("true", "false", "true")),
        .init(
            key: "log_level", fileValue: "debug", environmentValue: "WARNING", flagValue: "trace",
            flags: { ServeFlags([.logLevel: $0]) }, read: { $0.logLevel },
            expected: ("debug", "warning", "trace")),
        .init(
            key: "log_format", fileValue: "json", environmentValue: "text", flagValue: "json",
            flags: { ServeFlags([.logFormat: $0]) }, read: { $0.logFormat.rawValue },
            expected: ("json", "text", "json")),
        .init(
            key: "trusted_proxy", fileValue: "unix", environmentValue: "10.0.0.2,::1", flagValue: "10.0.0.3",
            flags: { ServeFlags(lists: [.trustedProxy: [$0]]) }, read: { $0.trustedProxies.description },
            expected: ("unix", "10.0.0.2,::1", "10.0.0.3")),
    ]

    @Test("with nothing set, every setting has its default")
    func defaults() throws {
        let settings = try ServeSettings.load(flags: ServeFlags(), environment: [:], configFile: nil)
        #expect(settings == ServeSettings())
        #expect(settings.listen == .tcp(host: "127.0.0.1", port: 8080))
        #expect(settings.adminListen == nil)
        #expect(settings.publicURLs == ["http://127.0.0.1:8080/vod/callback"])
        #expect(settings.callbackPaths == ["/vod/callback"])
        #expect(settings.keyFile == nil)
        #expect(settings.callbackKeys.isEmpty)
        #expect(settings.dataDir == "./vodhook-data")
        #expect(settings.maxSkew == 300)
        #expect(settings.maxBody == 1_048_576)
        #expect(settings.rotateSize == 268_435_456)
        #expect(settings.maxConnections == 8192)
        #expect(settings.idleTimeout == 75)
        #expect(settings.insecureNoAuth == false)
        #expect(settings.logLevel == "info")
        #expect(settings.logFormat == .text)
    }

    @Test("environment variables that are not VODHOOK_ ones are ignored")
    func foreignEnvironment() throws {
        let settings = try ServeSettings.load(
            flags: ServeFlags(), environment: ["PATH": "/usr/bin", "LISTEN": "nonsense", "VODHOOKX": "1"], configFile: nil)
        #expect(settings == ServeSettings())
    }

    @Test("each layer overrides the ones below it", arguments: cases)
    func layers(row: ConfigLayerCase) throws {
        try withConfigScratch { scratch in
            let file = try scratch.write("vodhook.yaml", "\(row.key): \"\(row.fileValue)\"\n")
            let environment = [row.environmentName: row.environmentValue]

            let fromFile = try ServeSettings.load(flags: ServeFlags(), environment: [:], configFile: file)
            #expect(row.read(fromFile) == row.expected.file)

            let fromEnvironment = try ServeSettings.load(flags: ServeFlags(), environment: environment, configFile: nil)
            #expect(row.read(fromEnvironment) == row.expected.environment)

            let environmentOverFile = try ServeSettings.load(flags: ServeFlags(), environment: environment, configFile: file)
            #expect(row.read(environmentOverFile) == row.expected.environment)

            let flagOverAll = try ServeSettings.load(flags: row.flags(row.flagValue), environment: environment, configFile: file)
            #expect(row.read(flagOverAll) == row.expected.flag)

            let flagOverFile = try ServeSettings.load(flags: row.flags(row.flagValue), environment: [:], configFile: file)
            #expect(row.read(flagOverFile) == row.expected.flag)
        }
    }

    @Test("layers mix: each setting comes from the highest layer that sets it")
    func mixed() throws {
        try withConfigScratch { scratch in
            let file = try scratch.write(
                "vodhook.yaml",
                """
                listen: "10.0.0.1:1"
                max_skew: 10
                data_dir: /from/file
                log_level: error
                """)
            let settings = try ServeSettings.load(
                flags: ServeFlags([.maxSkew: "30"]),
                environment: ["VODHOOK_MAX_SKEW": "20", "VODHOOK_DATA_DIR": "/from/env"],
                configFile: file)
            #expect(settings.listen == .tcp(host: "10.0.0.1", port: 1))
            #expect(settings.maxSkew == 30)
            #expect(settings.dataDir == "/from/env")
            #expect(settings.logLevel == "error")
            #expect(settings.maxBody == ServeSettings.defaultMaxBody)
        }
    }

    @Test("an empty VODHOOK_ variable counts as unset, so the file's value applies")
    func emptyVariable() throws {
        try withConfigScratch { scratch in
            let file = try scratch.write("vodhook.yaml", "max_skew: 42\n")
            let settings = try ServeSettings.load(
                flags: ServeFlags(), environment: ["VODHOOK_MAX_SKEW": "", "VODHOOK_ADMIN_LISTEN": ""], configFile: file)
            #expect(settings.maxSkew == 42)
            #expect(settings.adminListen == nil)
        }
    }

    @Test("a key with no value in the file counts as unset")
    func nullInFile() throws {
        try withConfigScratch { scratch in
            let file = try scratch.write("vodhook.yaml", "admin_listen:\nkey_file: ~\npublic_url: null\nmax_skew:\n")
            let settings = try ServeSettings.load(flags: ServeFlags(), environment: [:], configFile: file)
            #expect(settings == ServeSettings())
        }
    }

    @Test(
        "an empty config file, or one of comments only, sets nothing", arguments: ["", "# nothing here\n\n# at all\n", "---\n"])
    func emptyFile(text: String) throws {
        try withConfigScratch { scratch in
            let file = try scratch.write("vodhook.yaml", text)
            #expect(try ServeSettings.load(flags: ServeFlags(), environment: [:], configFile: file) == ServeSettings())
        }
    }

    @Test("relative paths from the config file stay relative to the working directory")
    func relativePaths() throws {
        try withConfigScratch { scratch in
            let file = try scratch.write("vodhook.yaml", "key_file: keys/callback\ndata_dir: data\n")
            let settings = try ServeSettings.load(flags: ServeFlags(), environment: [:], configFile: file)
            #expect(settings.keyFile == "keys/callback")
            #expect(settings.dataDir == "data")
        }
    }
}
