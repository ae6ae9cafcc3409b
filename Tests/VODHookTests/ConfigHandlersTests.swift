import Foundation
import Testing
import VODHook
import VODHookCore

@Suite("Handlers in the config file")
struct ConfigHandlersTests {
    static let file = """
        max_skew: 120
        callback_keys: ["k3yInTheFile"]
        handlers:
          - name: save
            match: { event: VideoAIComplete, status: success }
            write: { dir: /var/lib/vodhook/results }
        public_url: "https://media.example.com/vod/callback"
        """

    @Test("a file with handlers still gives serve its settings, and the handlers their list")
    func settingsAndHandlers() throws {
        try withConfigScratch { scratch in
            let path = try scratch.write("vodhook.yaml", Self.file)
            let settings = try ServeSettings.load(flags: ServeFlags(), environment: [:], configFile: path)
            #expect(settings.maxSkew == 120)
            #expect(settings.callbackKeys == ["k3yInTheFile"])
            #expect(settings.publicURLs == ["https://media.example.com/vod/callback"])
            let handlers = try HandlerConfig.load(configFile: path)
            #expect(handlers.map(\.name) == ["save"])
        }
    }

    @Test("no config file: no handlers")
    func noFile() throws {
        #expect(try HandlerConfig.load(configFile: nil).isEmpty)
    }

    @Test("a bad handler is reported with the file, the handler and the key, never a callback key")
    func badHandler() throws {
        try withConfigScratch { scratch in
            let path = try scratch.write(
                "vodhook.yaml", Self.file.replacingOccurrences(of: "{ dir: /var/lib/vodhook/results }", with: "{ dri: /x }"))
            // The settings do not look at handlers...
            _ = try ServeSettings.load(flags: ServeFlags(), environment: [:], configFile: path)
            // ...the handlers do.
            #expect(throws: ConfigError.self) { try HandlerConfig.load(configFile: path) }
            do throws(ConfigError) {
                _ = try HandlerConfig.load(configFile: path)
            } catch {
                guard case .invalidHandlers(let file, let problems) = error else {
                    Issue.record("\(error)")
                    return
                }
                #expect(file == path && problems.errors.count == 2)
                #expect(
                    error.description.contains(
                        "config file \(path) (--config): handlers[1] \"save\", write.dri (line 6): unknown key"))
                #expect(error.description.contains("write.dir (line 6): missing"))
                #expect(!error.description.contains("k3yInTheFile"))
            }
        }
    }

    @Test("an unknown top-level key is still refused, and `handlers` is offered for a typo of it")
    func unknownTopLevelKey() throws {
        try withConfigScratch { scratch in
            let path = try scratch.write("vodhook.yaml", "handler:\n  - name: x\n")
            #expect(throws: ConfigError.unknownKey(key: "handler", source: .configFile(path: path), suggestion: "handlers")) {
                try ServeSettings.load(flags: ServeFlags(), environment: [:], configFile: path)
            }
            #expect(throws: ConfigError.self) { try HandlerConfig.load(configFile: path) }
        }
    }
}
