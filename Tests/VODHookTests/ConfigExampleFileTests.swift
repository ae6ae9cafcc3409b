import Foundation
import Testing
import VODHook

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
}
