import Foundation
import Testing
import VODHook
import VODHookCore

@Suite("The documents that follow from the settings' declarations")
struct ConfigExampleFileTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let path = root.appendingPathComponent("deploy/vodhook.example.yaml").path

    @Test("deploy/vodhook.example.yaml loads cleanly and yields the defaults")
    func loadsToDefaults() throws {
        let settings = try ServeSettings.load(flags: ServeFlags(), environment: [:], configFile: Self.path)
        #expect(settings == ServeSettings())
    }

    @Test("deploy/vodhook.example.yaml is what the declarations give (run scripts/settings-docs)")
    func exampleFileIsGenerated() throws {
        let text = try String(contentsOfFile: Self.path, encoding: .utf8)
        #expect(text == SettingsDocs.exampleFile(), "deploy/vodhook.example.yaml is stale: run scripts/settings-docs")
    }

    @Test("the README's settings table is what the declarations give (run scripts/settings-docs)")
    func readmeTableIsGenerated() throws {
        let readme = try String(contentsOfFile: Self.root.appendingPathComponent("README.md").path, encoding: .utf8)
        let begin = try #require(readme.range(of: SettingsDocs.tableBegin + "\n"), "no table start marker in README.md")
        let end = try #require(readme.range(of: SettingsDocs.tableEnd + "\n", range: begin.upperBound..<readme.endIndex))
        #expect(
            String(readme[begin.lowerBound..<end.upperBound]) == SettingsDocs.readmeTable(),
            "the README's settings table is stale: run scripts/settings-docs")
    }

    @Test("the example file and the table name every key, variable and flag")
    func documentsEveryKey() throws {
        let text = SettingsDocs.exampleFile()
        let table = SettingsDocs.readmeTable()
        for key in SettingKey.allCases {
            #expect(text.contains("\n\(key.fileKey):"), "missing key \(key.fileKey)")
            #expect(
                text.contains(key.environmentName) && table.contains("`\(key.environmentName)`"), "missing \(key.environmentName)"
            )
            #expect(!key.declaration.hasFlag || table.contains("`\(key.flagName)`"), "missing \(key.flagName)")
        }
    }

    @Test("the commented handler examples (write, exec, resubmit) are valid handlers once uncommented")
    func execExample() throws {
        let text = try String(contentsOfFile: Self.path, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(lines.firstIndex(of: "# handlers:"))
        let yaml = lines[start...].prefix { $0.hasPrefix("#") }.map { $0.dropFirst(2) }.joined(separator: "\n")
        let specs = try HandlerConfig.parse(yaml: Array(yaml.utf8))
        #expect(specs.map(\.action.keyword) == ["write", "exec", "resubmit"])
        guard let notify = specs.first(where: { $0.name == "notify" }), case .exec(let exec) = notify.action else {
            Issue.record("\(specs)")
            return
        }
        #expect(exec.argv.first?.text == "/usr/local/bin/notify" && exec.timeout == .seconds(30) && exec.killAfter == .seconds(5))
        #expect(exec.maxConcurrent == 4 && exec.outputCap == 64 << 10 && exec.inheritedEnvironment == ["LANG"])
    }

    @Test("each declared default, given as a value, is the default ServeSettings holds", arguments: SettingKey.allCases)
    func declaredDefaultIsTheDefault(key: SettingKey) throws {
        guard case .value(let text) = key.declaration.default else { return }
        let flags = key.declaration.input == .list ? ServeFlags(lists: [key: [text]]) : ServeFlags([key: text])
        #expect(try ServeSettings.load(flags: flags, environment: [:], configFile: nil) == ServeSettings())
        #expect(
            try ServeSettings.load(flags: ServeFlags(), environment: [key.environmentName: text], configFile: nil)
                == ServeSettings())
    }

    @Test("--help of a flag shows its declared default and its variable, never a key")
    func helpShowsDefault() {
        #expect(SettingsDocs.help(.maxSkew).hasSuffix("(default: 300; env VODHOOK_MAX_SKEW)"))
        #expect(SettingsDocs.help(.maxBody).contains("(default: 1MiB;"))
        #expect(!SettingKey.callbackKeys.declaration.hasFlag)
    }
}
