import ArgumentParser

@main
struct VODHookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vodhook",
        abstract: "Receive, verify and durably record Alibaba Cloud VOD callbacks.",
        discussion: """
            Run `vodhook serve` (the default) as the callback URL of ApsaraVideo VOD: every signed \
            event is appended to <data-dir>/ledger.jsonl and fdatasync'd before VOD gets its 200.
            """,
        subcommands: [Serve.self, Submit.self, Jobs.self, Job.self, Reconcile.self, SendTestEvent.self, LedgerCommand.self],
        defaultSubcommand: Serve.self)
}
