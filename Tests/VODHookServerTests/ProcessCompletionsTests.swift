import Foundation
import Testing

extension ProcessTests {
    @Suite("shell completions")
    struct ProcessCompletionsTests {
        @Test("the bash script argument-parser generates is valid bash (bash -n)")
        func bashScriptParses() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let generated = try await sandbox.runVODHook(["--generate-completion-script", "bash"])
            #expect(generated.exit.isCleanExit, "\(generated)")
            let script = try sandbox.write("vodhook.bash", generated.stdout)
            let check = try await sandbox.run("/bin/bash", ["-n", script])
            #expect(check.exit.isCleanExit, "\(check)")
            let printed = try await sandbox.runVODHook(["completions", "--shell", "bash"])
            #expect(printed.stdout == generated.stdout, "`completions` prints another script")
        }

        @Test("`completions --install` puts the bash script where bash-completion loads it; sourced, it completes subcommands")
        func bashInstall() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let home = sandbox.file("home")
            let installed = try await sandbox.runVODHook(
                ["completions", "--install"], environment: ["HOME": home, "SHELL": "/bin/bash", "XDG_DATA_HOME": ""])
            #expect(installed.exit.isCleanExit, "\(installed)")
            let path = home + "/.local/share/bash-completion/completions/vodhook"
            #expect(installed.stdout.contains(path), "\(installed)")
            #expect(FileManager.default.fileExists(atPath: path))
            // What bash-completion does on the first Tab: source the file, then call its function.
            let complete = try await sandbox.run(
                "/bin/bash",
                [
                    "--norc", "--noprofile", "-c",
                    #"""
                    source "$1" || exit 2
                    function=$(complete -p vodhook | sed -n 's/.*-F \([^ ]*\) .*/\1/p')
                    [ -n "$function" ] || exit 3
                    COMP_WORDS=(vodhook sub); COMP_CWORD=1; COMP_LINE="vodhook sub"; COMP_POINT=${#COMP_LINE}
                    "$function" vodhook sub vodhook
                    printf '%s\n' "${COMPREPLY[@]}"
                    """#,
                    "completion-test", path,
                ])
            #expect(complete.exit.isCleanExit, "\(complete)")
            #expect(complete.stdout.split(separator: "\n").contains("submit"), "\(complete)")
        }

        @Test("zsh and fish scripts are printed for their shell; an unknown shell is refused")
        func otherShells() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let zsh = try await sandbox.runVODHook(["completions", "--shell", "zsh"])
            #expect(zsh.exit.isCleanExit && zsh.stdout.hasPrefix("#compdef vodhook"), "\(zsh)")
            let fish = try await sandbox.runVODHook(["completions"], environment: ["SHELL": "/usr/bin/fish"])
            #expect(fish.exit.isCleanExit && fish.stdout.contains("complete -c 'vodhook'"), "\(fish)")
            let unknown = try await sandbox.runVODHook(["completions", "--shell", "tcsh"])
            #expect(!unknown.exit.isCleanExit && unknown.stderr.contains("bash, zsh or fish"), "\(unknown)")
        }
    }
}
