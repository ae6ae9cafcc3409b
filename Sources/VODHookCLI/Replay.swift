import ArgumentParser
import Foundation
import VODHook
import VODHookCore

struct Replay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run handlers again: on the dead letters, or on events chosen by seq, job, media or type.",
        discussion: """
            Writes one `replay` line per (handler, event): serve reopens the pair with its attempts \
            reset, whether the handler gave the event up or finished it, and runs it again (handlers \
            must be idempotent). While `vodhook serve` runs, the lines go through its control socket \
            and it runs them at once; otherwise they are written to the ledger and run when serve starts.

            Which handlers: --dead takes each dead letter's own handler. For chosen events, --config F \
            (serve's file) runs every handler of F whose match takes the event; without it, --handler H \
            runs H again on the chosen events it has already run on. --handler also narrows the others. \
            Serve ignores a replay of a handler it does not have, or of an event that handler does not take.
            """)

    @Flag(help: "The dead letters (with event options: the dead letters of those events).")
    var dead = false

    @Option(help: "Events by seq: A-B (both included), A, or A- (A and every later one).")
    var seq: String?

    @Option(help: "Events of this JobId.")
    var job: String?

    @Option(help: "Events of this MediaId.")
    var media: String?

    @Option(help: "Events of these types, comma-separated (AIVideoTagComplete, …; VideoAIComplete: the AI family).")
    var type: String?

    @Option(help: "Only this handler (its name in the config).")
    var handler: String?

    @Option(help: "The YAML config file serve runs with: its handlers and what they match.")
    var config: String?

    @Flag(name: .customLong("dry-run"), help: "List what would be replayed; write nothing.")
    var dryRun = false

    @Option(name: .customLong("data-dir"), help: "The data directory holding the ledger.")
    var dataDir = "./vodhook-data"

    /// `replay` lines written per append: one fsync each, and the progress bar's step.
    static let batchSize = 500

    func validate() throws {
        _ = try selection()
    }

    private func selection() throws -> ReplaySelection {
        var selection = ReplaySelection(dead: dead, jobId: job, mediaId: media, handler: handler)
        if let seq {
            guard let range = ReplaySelection.seqRange(seq) else {
                throw ValidationError(
                    "--seq: a seq, a range A-B (A not above B) or A- (A and later), e.g. 120-180; not \(seq.debugDescription)")
            }
            selection.seqs = range
        }
        if let type {
            guard let types = ReplaySelection.eventTypes(type) else {
                throw ValidationError("--type: event types, comma-separated, e.g. AIVideoTagComplete or VideoAIComplete")
            }
            selection.eventTypes = types
        }
        for (name, value) in [("--job", job), ("--media", media), ("--handler", handler), ("--config", config)]
        where value?.isEmpty == true {
            throw ValidationError("\(name): empty")
        }
        guard dead || selection.choosesEvents else {
            throw ValidationError(
                "say what to replay: --dead (the dead letters), or events by --seq A-B, --job ID, --media ID or --type T")
        }
        guard dead || config != nil || handler != nil else {
            throw ValidationError(
                "--config F or --handler H: replay must know which handlers to run on the chosen events "
                    + "(--config matches them as serve does; --handler runs one again on the events it already ran on)")
        }
        return selection
    }

    func run() async throws {
        let selection = try selection()
        let handlers = try configuredHandlers()
        // Before the sink: a writer would create the directory, and a mistyped --data-dir would
        // then hold a ledger of replays of nothing.
        guard FileManager.default.fileExists(atPath: dataDir) else { throw CLIError("no data directory at \(dataDir)") }
        if dryRun {
            let plan = try makePlan(selection, handlers: handlers)
            list(plan)
            print("would replay \(plan.items.count) run(s); nothing written (--dry-run)")
            return
        }
        try await withHTTPClient { httpClient in
            // The sink first: a direct writer repairs a torn tail before the ledger is read.
            let (sink, _) = try openLedgerSink(dataDir: dataDir, label: "vodhook.replay", httpClient: httpClient)
            let plan: ReplayPlan
            do {
                plan = try makePlan(selection, handlers: handlers)
            } catch {
                await sink.close()
                throw error
            }
            let written = await append(plan.items.map(\.record), to: sink)
            await sink.close()
            if let failure = written.error {
                throw CLIError(
                    "\(written.count) of \(plan.items.count) replay line(s) recorded in \(sink.description), then: \(failure)")
            }
            let when = sink is ControlLedgerSink ? "it runs them now" : "serve runs them when it starts"
            print(
                plan.items.isEmpty
                    ? "nothing to replay" : "replayed \(plan.items.count) run(s): recorded in \(sink.description); \(when)")
        }
    }

    private func configuredHandlers() throws -> [HandlerSpec]? {
        guard let config else { return nil }
        let handlers: [HandlerSpec]
        do {
            handlers = try HandlerConfig.load(configFile: config)
        } catch {
            throw CLIError(error.description)
        }
        if let handler, !handlers.contains(where: { $0.name == handler }) {
            throw CLIError(
                "--handler \(handler): \(config) has no handler of that name"
                    + (handlers.isEmpty ? " (it has no handlers)" : " (it has: \(handlers.map(\.name).joined(separator: ", ")))"))
        }
        return handlers
    }

    private func makePlan(_ selection: ReplaySelection, handlers: [HandlerSpec]?) throws -> ReplayPlan {
        var ledger = try HandlerLedger.read(dataDir) { selection.choosesEvents && selection.selects(event: $0) }
        if selection.dead, !selection.choosesEvents {
            try HandlerLedger.addEvents(
                of: ledger.outcomes.deadLetters(handler: selection.handler), to: &ledger, dataDir: dataDir)
        }
        HandlerLedger.warnUnreadable(ledger)
        let plan = ReplayPlan(selection: selection, events: ledger.events, outcomes: ledger.outcomes, handlers: handlers)
        if plan.notConfigured > 0 {
            note(
                "\(plan.notConfigured) dead letter(s) of handlers not in \(config ?? "the config") left alone (serve would ignore them)"
            )
        }
        if plan.eventMissing > 0 {
            note("\(plan.eventMissing) dead letter(s) whose event line is no longer in \(dataDir) (archived?) left alone")
        }
        if plan.neverRan > 0, let handler {
            note(
                "\(plan.neverRan) chosen event(s) that \(handler) never ran on left alone (--config F runs the handlers that take them)"
            )
        }
        return plan
    }

    /// Appends in batches, with a progress bar when there is more than one.
    private func append(_ records: [ReplayRecord], to sink: any LedgerSink) async -> (count: Int, error: (any Error)?) {
        let progress = records.count > Self.batchSize ? ProgressPrinter(total: records.count) : nil
        defer { progress?.finish() }
        var written = 0
        for start in stride(from: 0, to: records.count, by: Self.batchSize) {
            let batch = records[start..<min(start + Self.batchSize, records.count)]
            do {
                _ = try await sink.append(batch.map(LedgerRecord.replay))
            } catch {
                return (written, error)
            }
            written += batch.count
            for _ in batch { progress?.advance(failed: false) }
        }
        return (written, nil)
    }

    private func list(_ plan: ReplayPlan) {
        guard !plan.items.isEmpty else { return }
        var table = [["HANDLER", "SEQ", "EVENT", "STATUS", "JOB", "MEDIA", "NOW"]]
        for item in plan.items {
            table.append([
                item.handler, String(item.event.seq), item.event.eventType ?? "?", item.event.status ?? "-",
                item.event.jobId ?? "-", item.event.mediaId ?? "-", item.previous?.state.rawValue ?? "not run yet",
            ])
        }
        print(TextTable.render(table), terminator: "")
    }

    private func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
