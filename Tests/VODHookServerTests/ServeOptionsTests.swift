import ArgumentParser
import Testing
import VODHook

@testable import VODHookCLI

@Suite("serve's flags follow the settings' declarations")
struct ServeOptionsTests {
    static let flagged = SettingKey.allCases.filter(\.declaration.hasFlag)

    @Test("each setting's flag reaches that setting, and only it", arguments: flagged)
    func flagReachesItsSetting(key: SettingKey) throws {
        let value = "some-value"
        let toggle = key.declaration.input == .toggle
        let serve = try Serve.parse(toggle ? [key.flagName] : [key.flagName, value])
        #expect(serve.flags == ServeFlags(lists: [key: [toggle ? "true" : value]]))
    }

    @Test("--help shows each flag with its declared doc, default and variable")
    func helpIsDeclared() {
        let help = Self.words(Serve.helpMessage(columns: 100))
        for key in Self.flagged {
            #expect(help.contains(key.flagName), "no \(key.flagName) in --help")
            #expect(help.contains(Self.words(SettingsDocs.help(key))), "--help of \(key.flagName) is not its declaration's")
        }
    }

    /// Whitespace runs as one space: --help wraps lines.
    static func words(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
