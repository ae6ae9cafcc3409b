import ArgumentParser
import Foundation
import Logging
import VODHook
import VODHookCore

struct Reconcile: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ask VOD (ListAIJob) about pending jobs and record the ones that finished.",
        discussion: """
            VOD drops a callback after three failed attempts, so a job can stay pending forever. \
            This asks about every job vodhook submitted that is still pending after --older-than, \
            and records each finished one as an event line with "source": "poll" (the same schema as \
            a callback's; a callback that arrives later is a duplicate). While `vodhook serve` runs, \
            the pending jobs come from its memory and the lines go through its control socket (no \
            ledger file is read); else this reads the ledger itself. `serve --reconcile-every` runs \
            this periodically. \
            Ctrl-C finishes the round under way (what VOD answered is recorded) and exits 130; a second \
            Ctrl-C exits at once.
            """)

    @Option(name: .customLong("older-than"), help: "Only jobs submitted at least this long ago: 90s, 10m, 2h, 1d.")
    var olderThan = "10m"

    @Option(name: .customLong("data-dir"), help: "The data directory holding the ledger.")
    var dataDir = "./vodhook-data"

    @OptionGroup(title: "VOD API")
    var api: VODAPIOptions

    func validate() throws {
        guard TimeSpec.duration(olderThan) != nil else { throw ValidationError("--older-than: a span such as 90s, 10m, 2h") }
    }

    func run() async throws {
        let span = TimeSpec.duration(olderThan) ?? 600_000
        guard FileManager.default.fileExists(atPath: dataDir) else { throw CLIError("no data directory at \(dataDir)") }
        try await withHTTPClient { httpClient in
            let client = try api.makeClient(httpClient: httpClient)
            var logger = Logger(label: "vodhook.reconcile")
            logger.logLevel = .warning
            let sink: any LedgerSink
            let open: [JobBook.Row]
            do {
                (sink, open) = try await LedgerSinks.openWithOpenJobs(dataDir: dataDir, logger: logger, httpClient: httpClient)
            } catch {
                throw CLIError("\(error)")
            }
            let now = WallClock.milliseconds()
            let reconciler = Reconciler(client: client, sink: sink)
            let jobIds = PollEvent.candidates(in: open, olderThan: span, now: now)
            let stopped = StopFlag()
            let report: Reconciler.Report
            do {
                // A round is one ListAIJob answer and one append: stopping in between would drop
                // what VOD said, so Ctrl-C lets the round finish.
                report = try await Interruptible.run(label: "vodhook.reconcile") {
                    stopped.set()
                    FileHandle.standardError.write(
                        Data("stopping: recording this round's answer (Ctrl-C again to quit at once)\n".utf8))
                } _: {
                    try await reconciler.run(jobIds: jobIds, now: now)
                }
            } catch {
                await sink.close()
                throw CLIError("\(error)")
            }
            await sink.close()
            for id in report.recorded { print("recorded  \(id)") }
            for id in report.unknownToVOD { print("VOD does not know job \(id); it stays pending") }
            print(
                "asked about \(report.asked) pending job(s): \(report.recorded.count) finished and recorded, "
                    + "\(report.alreadyKnown) already recorded, \(report.stillRunning) still running, "
                    + "\(report.unknownToVOD.count) unknown to VOD")
            if stopped.isSet { throw ExitCode(130) }
        }
    }
}
