import ArgumentParser
import Foundation
import VODHook
import VODHookCore

struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Check vodhook's configuration.",
        subcommands: [Check.self, Example.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate the settings of `serve` and the handlers, as `serve` would read them.",
            discussion: """
                Reads --config FILE (if given) and the VODHOOK_* environment variables, prints the \
                settings (callback keys counted, never shown) and one line per handler, and exits 0; \
                or prints every problem found, each naming its setting or its handler and key, and exits 1. \
                Nothing is written: a missing key file is not generated.
                """)

        @Option(help: "YAML configuration file (see deploy/vodhook.example.yaml).")
        var config: String?

        func run() async throws {
            var problems: [String] = []
            var settings: ServeSettings?
            do {
                settings = try ServeSettings.load(
                    flags: ServeFlags(), environment: ProcessInfo.processInfo.environment, configFile: config)
            } catch {
                problems.append(error.description)
            }
            var handlers: [HandlerSpec] = []
            do {
                handlers = try HandlerConfig.load(configFile: config)
            } catch {
                // A file that cannot be read or parsed is reported once, by the settings above.
                let fileProblem: Bool = if case .invalidHandlers = error { false } else { true }
                if !fileProblem || settings != nil { problems.append(error.description) }
            }
            guard problems.isEmpty, let settings else {
                throw CLIError(problems.joined(separator: "\n"))
            }
            print("settings: \(settings)")
            print(handlers.isEmpty ? "handlers: none" : "handlers: \(handlers.count)")
            for handler in handlers { print("  " + handler.summary) }
            print("ok")
        }
    }

    struct Example: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print an example config file: every setting of `serve`, documented, with its default.",
            discussion: "The same text as deploy/vodhook.example.yaml: `vodhook config example > /etc/vodhook/vodhook.yaml`.")

        @Flag(help: .hidden) var readmeTable = false

        func run() {
            print(readmeTable ? SettingsDocs.readmeTable() : SettingsDocs.exampleFile(), terminator: "")
        }
    }
}
