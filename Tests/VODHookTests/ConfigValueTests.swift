import Testing
import VODHook

@Suite("Configuration values: public URLs, sizes and the other syntaxes")
struct ConfigValueTests {
    @Test("public_url may be one string or a list in the file")
    func publicURLInFile() throws {
        try withConfigScratch { scratch in
            let single = try scratch.write("single.yaml", "public_url: https://media.example.com/vod/callback?tenant=a\n")
            #expect(
                try ServeSettings.load(flags: ServeFlags(), environment: [:], configFile: single).publicURLs
                    == ["https://media.example.com/vod/callback?tenant=a"])

            let list = try scratch.write(
                "list.yaml",
                """
                public_url:
                  - https://media.example.com/vod/callback?tenant=a
                  - https://media.example.com/vod/callback?tenant=b
                  - http://10.0.0.5:8080/hooks/vod
                """)
            let settings = try ServeSettings.load(flags: ServeFlags(), environment: [:], configFile: list)
            #expect(
                settings.publicURLs == [
                    "https://media.example.com/vod/callback?tenant=a",
                    "https://media.example.com/vod/callback?tenant=b",
                    "http://10.0.0.5:8080/hooks/vod",
                ])
            #expect(settings.callbackPaths == ["/vod/callback", "/hooks/vod"])

            let flow = try scratch.write("flow.yaml", "public_url: [\"https://a.example/x\", \"https://b.example/y\"]\n")
            #expect(
                try ServeSettings.load(flags: ServeFlags(), environment: [:], configFile: flow).publicURLs
                    == ["https://a.example/x", "https://b.example/y"])
        }
    }

    @Test("VODHOOK_PUBLIC_URL takes several URLs separated by commas")
    func publicURLInEnvironment() throws {
        let settings = try ServeSettings.load(
            flags: ServeFlags(),
            environment: ["VODHOOK_PUBLIC_URL": "https://a.example/vod/callback?t=1, https://a.example/vod/callback?t=2"],
            configFile: nil)
        #expect(settings.publicURLs == ["https://a.example/vod/callback?t=1", "https://a.example/vod/callback?t=2"])
        #expect(settings.callbackPaths == ["/vod/callback"])
    }

    @Test("--public-url given several times keeps every URL, in order")
    func publicURLFlags() throws {
        let settings = try ServeSettings.load(
            flags: ServeFlags(lists: [.publicURL: ["https://b.example/two", "https://a.example/one"]]),
            environment: ["VODHOOK_PUBLIC_URL": "https://c.example/three"], configFile: nil)
        #expect(settings.publicURLs == ["https://b.example/two", "https://a.example/one"])
    }

    @Test(
        "callback paths are the distinct paths of the public URLs; no path is /",
        arguments: [
            (
                ["https://h/vod/callback?tenant=a", "https://h/vod/callback?tenant=b", "https://other/x"],
                ["/vod/callback", "/x"]
            ),
            (["http://h", "http://h:8080/"], ["/"]),
            (["https://h/a%20b/c"], ["/a%20b/c"]),
        ] as [([String], [String])])
    func callbackPaths(urls: [String], paths: [String]) {
        #expect(ServeSettings(publicURLs: urls).callbackPaths == paths)
    }

    @Test(
        "every size syntax is accepted, from every source",
        arguments: [
            ("1048576", 1_048_576), ("1MiB", 1 << 20), ("512KiB", 512 << 10), ("1m", 1 << 20), ("64k", 64 << 10),
            ("64K", 64 << 10), ("1mib", 1 << 20), ("2 GiB", 2 << 30), ("1g", 1 << 30), ("100b", 100), ("1", 1),
        ] as [(String, Int)])
    func sizes(text: String, bytes: Int) throws {
        try withConfigScratch { scratch in
            let fromFlag = try ServeSettings.load(
                flags: ServeFlags([.maxBody: text, .rotateSize: text]), environment: [:], configFile: nil)
            #expect(fromFlag.maxBody == bytes)
            #expect(fromFlag.rotateSize == bytes)
            let fromEnvironment = try ServeSettings.load(
                flags: ServeFlags(), environment: ["VODHOOK_MAX_BODY": text, "VODHOOK_ROTATE_SIZE": text], configFile: nil)
            #expect(fromEnvironment.maxBody == bytes)
            #expect(fromEnvironment.rotateSize == bytes)
            let file = try scratch.write("sizes.yaml", "max_body: \(text)\nrotate_size: \"\(text)\"\n")
            let fromFile = try ServeSettings.load(flags: ServeFlags(), environment: [:], configFile: file)
            #expect(fromFile.maxBody == bytes)
            #expect(fromFile.rotateSize == bytes)
        }
    }

    @Test(
        "sizes that are zero, negative, fractional, ambiguous or too large are refused",
        arguments: [
            "0", "0k", "-1", "1.5m", "1KB", "1MB", "abc", "", "k", "1 kilobyte", "99999999999999999999",
            "9223372036854775807g",
        ])
    func badSizes(text: String) {
        #expect(
            throws: ConfigError.invalidValue(
                key: "--max-body", source: .commandLine, value: text,
                expected: "a size in bytes greater than 0, such as 1048576, 64k, 512KiB, 1m, 1MiB or 1GiB"
            )
        ) {
            try ServeSettings.load(flags: ServeFlags([.maxBody: text]), environment: [:], configFile: nil)
        }
    }

    @Test(
        "booleans take true/false, yes/no, on/off and 1/0",
        arguments: [
            ("true", true), ("TRUE", true), ("yes", true), ("on", true), ("1", true),
            ("false", false), ("No", false), ("off", false), ("0", false),
        ] as [(String, Bool)])
    func booleans(text: String, value: Bool) throws {
        let settings = try ServeSettings.load(
            flags: ServeFlags(), environment: ["VODHOOK_INSECURE_NO_AUTH": text], configFile: nil)
        #expect(settings.insecureNoAuth == value)
    }

    @Test("every log level is accepted, in any case", arguments: ServeSettings.logLevels)
    func logLevels(level: String) throws {
        let settings = try ServeSettings.load(
            flags: ServeFlags([.logLevel: level.uppercased()]), environment: [:], configFile: nil)
        #expect(settings.logLevel == level)
    }
}
