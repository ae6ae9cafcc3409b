public import ArgumentParser
public import VODHook

/// `vodhook`: every subcommand. The executable only calls ``main()``.
public struct VODHookCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "vodhook",
        abstract: "Submit Alibaba Cloud VOD AI jobs, and receive, verify and durably record their callbacks.",
        discussion: """
            Run `vodhook serve` (the default) as the callback URL of ApsaraVideo VOD: every signed \
            event is appended to <data-dir>/ledger.jsonl and fdatasync'd before VOD gets its 200. \
            `vodhook submit` submits AI jobs and records each in the same ledger, so every callback \
            is matched to its job; `jobs`, `job` and `reconcile` follow them up; `dead` and `replay` deal \
            with the events a handler gave up.
            """,
        subcommands: [
            Serve.self, Submit.self, Jobs.self, Job.self, Tail.self, Dead.self, Replay.self, Reconcile.self, Status.self,
            SendTestEvent.self, LedgerCommand.self, ConfigCommand.self, Completions.self,
        ],
        defaultSubcommand: Serve.self)

    public init() {}

    /// Parses the process's arguments and runs the command, exiting as ArgumentParser does.
    /// (Called from an async function, so the async `main` is the one chosen.)
    public static func run() async {
        await main()
    }

    /// The same, with Swift handlers of one's own that `serve` runs beside the config file's
    /// (a name used by both stops start-up). From a package of one's own:
    /// `await VODHookCommand.run(handlers: [CustomHandler(name: "index", match: HandlerMatch(), handler: MyHandler())])`.
    public static func run(handlers: [CustomHandler]) async {
        CustomHandlers.register(handlers)
        await main()
    }
}
