import Foundation
import Testing
import VODHook
import VODHookCore

@Suite("The example configuration file")
struct ConfigExampleFileTests {
    static let path = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("deploy/vodhook.example.yaml").path

    @Test("deploy/vodhook.example.yaml loads cleanly and yields the defaults")
    func loadsToDefaults() throws {
        let settings = try ServeSettings.load(flags: ServeFlags(), environment: [:], configFile: Self.path)
        #expect(settings == ServeSettings())
    }

    @Test("the example file documents every key and its environment variable")
    func documentsEveryKey() throws {
        let text = try String(contentsOfFile: Self.path, encoding: .utf8)
        for key in ServeSettings.configFileKeys {
            #expect(text.contains("\(key):"), "missing key \(key)")
        }
        for name in ServeSettings.environmentVariableNames {
            #expect(text.contains(name), "missing variable \(name)")
        }
    }

    @Test("the commented exec handler example is a valid handler once uncommented")
    func execExample() throws {
        let text = try String(contentsOfFile: Self.path, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(lines.firstIndex(of: "# handlers:"))
        let yaml = lines[start...].prefix { $0.hasPrefix("#") }.map { $0.dropFirst(2) }.joined(separator: "\n")
        let specs = try HandlerConfig.parse(yaml: Array(yaml.utf8))
        guard specs.count == 1, case .exec(let exec) = specs[0].action else {
            Issue.record("\(specs)")
            return
        }
        #expect(exec.argv.first?.text == "/usr/local/bin/notify" && exec.timeout == .seconds(30) && exec.killAfter == .seconds(5))
        #expect(exec.maxConcurrent == 4 && exec.outputCap == 64 << 10 && exec.inheritedEnvironment == ["LANG"])
    }
}
