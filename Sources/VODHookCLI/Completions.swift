import ArgumentParser
import Foundation

/// `vodhook completions`: argument-parser's completion script, printed or installed where each
/// shell loads completions from by itself (so installing is one command, and needs no root).
struct Completions: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print or install the shell completion script (bash, zsh, fish).",
        discussion: """
            Without --install, prints the script (the same as `vodhook --generate-completion-script SHELL`). \
            With --install, writes it for the current user: bash to \
            ${XDG_DATA_HOME:-~/.local/share}/bash-completion/completions/vodhook (loaded by bash-completion \
            in new shells), fish to ${XDG_CONFIG_HOME:-~/.config}/fish/completions/vodhook.fish, zsh to \
            ~/.zfunc/_vodhook (add `fpath=(~/.zfunc $fpath); autoload -U compinit && compinit` to \
            ~/.zshrc once). The shell is --shell, else the one $SHELL names.
            """)

    @Option(help: "bash, zsh or fish; by default the one $SHELL names.")
    var shell: String?

    @Flag(help: "Write the script where the shell finds it, and print the path.")
    var install = false

    func run() throws {
        let shell = try resolvedShell()
        let script = VODHookCommand.completionScript(for: shell)
        guard install else {
            print(script, terminator: script.hasSuffix("\n") ? "" : "\n")
            return
        }
        let environment = ProcessInfo.processInfo.environment
        guard let path = Self.installPath(for: shell, environment: environment) else {
            throw CLIError("cannot tell where to install: HOME is not set")
        }
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try script.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw CLIError("cannot write \(path): \(error.localizedDescription)")
        }
        print("installed \(path)")
        if shell == .zsh {
            print("zsh: once, add to ~/.zshrc: fpath=(~/.zfunc $fpath); autoload -U compinit && compinit")
        }
        print("open a new shell to use it")
    }

    private func resolvedShell() throws -> CompletionShell {
        if let shell {
            guard let known = CompletionShell(rawValue: shell) else {
                throw ValidationError("--shell: bash, zsh or fish, not \(shell)")
            }
            return known
        }
        guard let detected = CompletionShell.autodetected() else {
            throw ValidationError("cannot tell the shell from $SHELL: give --shell bash|zsh|fish")
        }
        return detected
    }

    /// Where `shell` loads a user's completions from without further configuration (zsh needs
    /// the directory in its fpath once).
    static func installPath(for shell: CompletionShell, environment: [String: String]) -> String? {
        func base(_ variable: String, default relative: String) -> String? {
            if let value = environment[variable], value.hasPrefix("/") { return value }
            guard let home = environment["HOME"], !home.isEmpty else { return nil }
            return home + "/" + relative
        }
        switch shell {
        case .bash: return base("XDG_DATA_HOME", default: ".local/share").map { $0 + "/bash-completion/completions/vodhook" }
        case .fish: return base("XDG_CONFIG_HOME", default: ".config").map { $0 + "/fish/completions/vodhook.fish" }
        default: return environment["HOME"].flatMap { $0.isEmpty ? nil : $0 + "/.zfunc/_vodhook" }
        }
    }
}
