import Testing
import VODHook

/// A bad value somewhere, and how the error must name it.
struct ConfigBadValueCase: Sendable, CustomTestStringConvertible {
    var yaml: String?
    var environment: [String: String] = [:]
    var flags = ServeFlags()
    /// The key as spelled in its source.
    var key: String
    /// A fragment of the "expected …" part.
    var expects: String

    var testDescription: String { yaml ?? environment.description + " \(flags)" }
}

@Suite("Configuration errors name the key, the source and what is expected")
struct ConfigErrorTests {
    static let badValues: [ConfigBadValueCase] = [
        .init(yaml: "max_skew: abc\n", key: "max_skew", expects: "whole number of seconds"),
        .init(yaml: "max_skew: 0\n", key: "max_skew", expects: "from 1 to 3600"),
        .init(yaml: "max_skew: 3601\n", key: "max_skew", expects: "from 1 to 3600"),
        .init(yaml: nil, flags: ServeFlags([.maxSkew: "999999"]), key: "--max-skew", expects: "from 1 to 3600"),
        .init(yaml: "max_connections: 0\n", key: "max_connections", expects: "whole number from 1 to 1000000"),
        .init(yaml: nil, environment: ["VODHOOK_MAX_CONNECTIONS": "many"], key: "VODHOOK_MAX_CONNECTIONS", expects: "from 1"),
        .init(yaml: nil, flags: ServeFlags([.maxConnections: "1000001"]), key: "--max-connections", expects: "to 1000000"),
        .init(yaml: "idle_timeout: 0\n", key: "idle_timeout", expects: "seconds from 1 to 3600"),
        .init(yaml: nil, flags: ServeFlags([.idleTimeout: "75s"]), key: "--idle-timeout", expects: "whole number of seconds"),
        .init(yaml: "max_skew: 1.5\n", key: "max_skew", expects: "whole number"),
        .init(yaml: "listen: nonsense\n", key: "listen", expects: "HOST:PORT"),
        .init(yaml: "listen: 127.0.0.1:70000\n", key: "listen", expects: "0...65535"),
        .init(yaml: "admin_listen: \"::1:80\"\n", key: "admin_listen", expects: "[IPv6]:PORT"),
        .init(yaml: "max_body: 0\n", key: "max_body", expects: "size in bytes"),
        .init(yaml: "rotate_size: 10MB\n", key: "rotate_size", expects: "MiB"),
        .init(yaml: "log_level: loud\n", key: "log_level", expects: "trace, debug, info"),
        .init(yaml: "log_format: xml\n", key: "log_format", expects: "text, json"),
        .init(yaml: "insecure_no_auth: maybe\n", key: "insecure_no_auth", expects: "true or false"),
        .init(yaml: "public_url: ftp://media.example.com/vod\n", key: "public_url", expects: "http://"),
        .init(yaml: "public_url: /vod/callback\n", key: "public_url", expects: "absolute"),
        .init(yaml: "public_url: []\n", key: "public_url", expects: "one or more"),
        .init(yaml: "public_url: [https://ok.example/a, \"https:///nohost\"]\n", key: "public_url", expects: "with a host"),
        .init(yaml: "max_skew: [1, 2]\n", key: "max_skew", expects: "not a list"),
        .init(yaml: "listen: {host: a, port: 1}\n", key: "listen", expects: "not a mapping"),
        .init(yaml: "public_url: [[a]]\n", key: "public_url", expects: "list of strings"),
        .init(yaml: "data_dir: \"\"\n", key: "data_dir", expects: "non-empty path"),
        .init(yaml: nil, environment: ["VODHOOK_MAX_SKEW": "soon"], key: "VODHOOK_MAX_SKEW", expects: "seconds"),
        .init(yaml: nil, environment: ["VODHOOK_LISTEN": "8080"], key: "VODHOOK_LISTEN", expects: "HOST:PORT"),
        .init(
            yaml: nil, environment: ["VODHOOK_PUBLIC_URL": "https://a.example/x,,https://b.example/y"],
            key: "VODHOOK_PUBLIC_URL", expects: "absolute"),
        .init(yaml: nil, environment: ["VODHOOK_LOG_FORMAT": "yaml"], key: "VODHOOK_LOG_FORMAT", expects: "json"),
        .init(yaml: nil, flags: ServeFlags([.maxSkew: "-5"]), key: "--max-skew", expects: "from 1 to 3600"),
        .init(yaml: nil, flags: ServeFlags([.listen: "localhost"]), key: "--listen", expects: "unix:PATH"),
        .init(yaml: nil, flags: ServeFlags(lists: [.publicURL: ["media.example.com/vod"]]), key: "--public-url", expects: "http"),
        .init(yaml: nil, flags: ServeFlags([.rotateSize: "big"]), key: "--rotate-size", expects: "GiB"),
    ]

    @Test("a bad value names the key, its source and what is expected", arguments: badValues)
    func badValue(row: ConfigBadValueCase) throws {
        try withConfigScratch { scratch in
            let file = try row.yaml.map { try scratch.write("vodhook.yaml", $0) }
            let error = #expect(throws: ConfigError.self) {
                try ServeSettings.load(flags: row.flags, environment: row.environment, configFile: file)
            }
            let message = error?.description ?? ""
            #expect(message.contains(row.key))
            #expect(message.contains(row.expects))
            #expect(!message.contains("\n"))
            if let file {
                #expect(message.contains(file))
            } else if !row.environment.isEmpty {
                #expect(message.contains("environment variable"))
            }
        }
    }

    @Test("a bad value in the file is reported with its key, source and value")
    func badValueShape() throws {
        try withConfigScratch { scratch in
            let file = try scratch.write("vodhook.yaml", "max_skew: abc\n")
            #expect(
                throws: ConfigError.invalidValue(
                    key: "max_skew", source: .configFile(path: file), value: "abc",
                    expected: "a whole number of seconds from 1 to 3600")
            ) {
                try ServeSettings.load(flags: ServeFlags(), environment: [:], configFile: file)
            }
        }
    }

    @Test("an unknown key in the file stops loading, naming the key and the file")
    func unknownFileKey() throws {
        try withConfigScratch { scratch in
            let file = try scratch.write("vodhook.yaml", "listen: 127.0.0.1:8080\npubic_url: https://a.example/x\n")
            let expected = ConfigError.unknownKey(key: "pubic_url", source: .configFile(path: file), suggestion: "public_url")
            #expect(throws: expected) {
                try ServeSettings.load(flags: ServeFlags(), environment: [:], configFile: file)
            }
            #expect(expected.description == "config file \(file): unknown key pubic_url; did you mean public_url?")
        }
    }

    @Test("an unknown key far from every known one gets no suggestion")
    func unknownFileKeyWithoutSuggestion() throws {
        try withConfigScratch { scratch in
            let file = try scratch.write("vodhook.yaml", "database:\n  host: x\n")
            #expect(throws: ConfigError.unknownKey(key: "database", source: .configFile(path: file), suggestion: nil)) {
                try ServeSettings.load(flags: ServeFlags(), environment: [:], configFile: file)
            }
        }
    }

    @Test("an unknown VODHOOK_ environment variable stops loading, naming it")
    func unknownVariable() {
        let expected = ConfigError.unknownKey(key: "VODHOOK_PUBIC_URL", source: .environment, suggestion: "VODHOOK_PUBLIC_URL")
        #expect(throws: expected) {
            try ServeSettings.load(
                flags: ServeFlags(), environment: ["VODHOOK_PUBIC_URL": "https://a.example/x", "HOME": "/root"], configFile: nil)
        }
        #expect(expected.description == "unknown environment variable VODHOOK_PUBIC_URL; did you mean VODHOOK_PUBLIC_URL?")
    }

    @Test("a missing config file is an error naming its path")
    func missingFile() throws {
        try withConfigScratch { scratch in
            let path = scratch.path("nowhere/vodhook.yaml")
            #expect(throws: ConfigError.configFileNotFound(path: path)) {
                try ServeSettings.load(flags: ServeFlags(), environment: [:], configFile: path)
            }
            #expect(ConfigError.configFileNotFound(path: path).description.contains(path))
        }
    }

    @Test("a config file that cannot be read is an error naming its path")
    func unreadableFile() throws {
        try withConfigScratch { scratch in
            // A directory opens but cannot be read, even as root.
            let error = #expect(throws: ConfigError.self) {
                try ServeSettings.load(flags: ServeFlags(), environment: [:], configFile: scratch.root)
            }
            guard case .configFileUnreadable(let path, _) = error else {
                Issue.record("expected configFileUnreadable, got \(String(describing: error))")
                return
            }
            #expect(path == scratch.root)
        }
    }

    @Test(
        "a config file that is not a YAML mapping is refused, naming the file",
        arguments: [
            "listen: [unclosed\n", "- a\n- b\n", "just a string\n", "listen: a\nlisten: b\n", "\t- bad: indentation\n",
        ])
    func malformedFile(text: String) throws {
        try withConfigScratch { scratch in
            let file = try scratch.write("vodhook.yaml", text)
            let error = #expect(throws: ConfigError.self) {
                try ServeSettings.load(flags: ServeFlags(), environment: [:], configFile: file)
            }
            guard case .configFileMalformed(let path, _) = error else {
                Issue.record("expected configFileMalformed, got \(String(describing: error))")
                return
            }
            #expect(path == file)
            #expect(error?.description.contains("\n") == false)
        }
    }
}
