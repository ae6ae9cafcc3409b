import ArgumentParser
import AsyncHTTPClient
import Foundation
import Logging
import VODHook
import VODHookCore

struct Submit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Submit AI jobs (SubmitAIJob) and record each one in the ledger.",
        discussion: """
            One media: --media-id ID. A batch: --from FILE, MediaIds one a line, or JSON Lines with \
            media_id and optional types, ai_config, user_data. A rerun of a batch skips each media and \
            type the ledger already has (accepted, or outcome unknown) and tries again those VOD \
            refused; --force submits everything again. Ctrl-C starts no new call, records the calls in \
            flight and exits 130; a second Ctrl-C exits at once.

            Each call is written to the ledger twice: a `sending` line before it is sent, and its result \
            (accepted with the JobId, refused, or unknown) before it counts as done, so even a killed \
            submit never sends a media twice. SubmitAIJob is not idempotent: only throttling and \
            connections that sent nothing are retried; a 5xx (VOD's or a proxy's) or a timeout after \
            sending may have made the job, so it is recorded unknown and not sent again. If `vodhook serve` \
            holds the data directory, the lines go to it through <data-dir>/control/vodhook.sock; \
            otherwise submit writes the ledger itself.

            Credentials: ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET and, for STS, \
            ALIBABA_CLOUD_SECURITY_TOKEN; else the [default] profile (or $ALIBABA_CLOUD_PROFILE) of \
            ~/.alibabacloud/credentials.ini (or $ALIBABA_CLOUD_CREDENTIALS_FILE), which must be mode 0600. Exit status: 0 all accepted, 1 any refused or unknown, 130 stopped.

            Both types are paid VOD features, offered in some regions only: AIVideoTag in cn-beijing \
            and cn-shanghai, AIMediaDNA in cn-beijing, cn-shanghai and ap-southeast-1. AIMediaDNA also \
            needs a fingerprint library set up in the VOD console first. A type asked for in another \
            --region is refused before any call or ledger line; --any-region submits anyway.
            """)

    @Option(name: .customLong("media-id"), help: "The media to analyse.")
    var mediaId: String?

    @Option(
        help:
            "A file of media: one MediaId a line, or JSON Lines ({\"media_id\": …, \"types\": …, \"ai_config\": …, \"user_data\": …})."
    )
    var from: String?

    @Option(help: "AI types, comma-separated: AIVideoTag, AIMediaDNA. In a JSON Lines file, the default for lines without types.")
    var types = "AIVideoTag"

    @Option(name: .customLong("ai-config"), help: "The Config JSON, e.g. '{\"AIVideoTag\":{\"AnalyseTypes\":\"ASR,OCR\"}}'.")
    var aiConfig: String?

    @Option(name: .customLong("user-data"), help: "The UserData JSON, e.g. '{\"Extend\":{\"localId\":\"42\"}}'.")
    var userData: String?

    @Option(
        name: .customLong("callback-url"),
        help: "Have VOD call this URL for these jobs (UserData.MessageCallback); vodhook must be listening there.")
    var callbackURL: String?

    @Option(help: "Calls per second at most. VOD allows 30 per account, shared by all its users.")
    var rate = 10.0

    @Option(help: "Calls in flight at most.")
    var concurrency = 4

    @Flag(help: "Submit again what the ledger already has.")
    var force = false

    // Not --force: that already means "submit again what the ledger has", and a resubmission
    // should not also lift the region check.
    @Flag(name: .customLong("any-region"), help: "Submit even where VOD is not known to offer the type (its offer can grow).")
    var anyRegion = false

    @Flag(help: "Print each recorded job as a JSON object, one a line.")
    var json = false

    @Option(name: .customLong("data-dir"), help: "The data directory whose ledger records the jobs.")
    var dataDir = "./vodhook-data"

    @OptionGroup(title: "VOD API")
    var api: VODAPIOptions

    func validate() throws {
        guard (mediaId == nil) != (from == nil) else { throw ValidationError("give --media-id ID or --from FILE") }
        guard rate > 0, rate <= 1000 else { throw ValidationError("--rate: calls per second, above 0") }
        guard concurrency >= 1, concurrency <= 64 else { throw ValidationError("--concurrency: 1 to 64") }
    }

    func run() async throws {
        let items = try readItems()
        if !anyRegion { try checkRegion(items) }
        try await withHTTPClient { httpClient in
            let client = try api.makeClient(httpClient: httpClient)
            // The ledger is read once: by the writer's start-up, or (while serve runs) directly.
            let (sink, book) = try openLedgerSink(dataDir: dataDir, label: "vodhook.submit", httpClient: httpClient)
            let plan = SubmitPlan(items: items, book: book, force: force)
            let out = Output(json: json)
            if plan.skipped > 0 {
                out.note(
                    "\(plan.skipped) media/type pair(s) already in the ledger, skipped"
                        + (plan.skippedUnknown > 0
                            ? " (\(plan.skippedUnknown) with an unknown outcome: check them with `vodhook jobs --status unknown`)"
                            : "")
                        + "; --force submits them again")
            }
            guard !plan.work.isEmpty else {
                await sink.close()
                out.note("nothing to submit")
                return
            }
            try await submit(plan, client: client, sink: sink, out: out)
        }
    }

    private func submit(_ plan: SubmitPlan, client: VODClient, sink: any LedgerSink, out: Output) async throws {
        let stop = StopFlag()
        let total = plan.work.count
        let progress = from == nil ? nil : ProgressPrinter(total: total)
        let runner = SubmitRunner(client: client, sink: sink, rate: rate, concurrency: concurrency)
        let json = json
        let summary = try await Interruptible.run(label: "vodhook.submit") {
            stop.set()
            out.note("stopping: no new calls; recording the calls in flight (Ctrl-C again to quit at once)")
        } _: {
            await runner.run(plan.work, stop: stop) { done in
                if json { out.printJSON(done) }
                progress?.advance(failed: done.records.contains { $0.outcome != .accepted })
            }
        }
        progress?.finish()
        await sink.close()
        report(summary, out: out, total: total, into: sink.description)

        if let error = summary.sinkError {
            for record in summary.unrecorded {
                out.note("NOT RECORDED: media \(record.mediaId) type \(record.aiType) job \(record.jobId ?? "unknown")")
            }
            throw CLIError("the ledger did not take the last lines: \(error)")
        }
        if summary.notStarted > 0 { throw ExitCode(130) }
        if summary.count(.refused) + summary.count(.unknown) > 0 { throw ExitCode(1) }
    }

    /// Stops before any call or ledger line when a type is not offered in the region asked for.
    /// With only --endpoint (a private gateway) the region is unknown and nothing is checked.
    private func checkRegion(_ items: [SubmitItem]) throws {
        guard let region = api.offerRegion else { return }
        var types: [String] = []
        for item in items {
            for type in AIJobRegions.unavailable(item.types, in: region) where !types.contains(type) {
                types.append(type)
            }
        }
        guard !types.isEmpty else { return }
        throw CLIError(
            types.map { AIJobRegions.refusal(type: $0, region: region) }.joined(separator: "; ")
                + "; --any-region submits anyway")
    }

    private func readItems() throws -> [SubmitItem] {
        let defaults = SubmitInput.Defaults(types: SubmitInput.splitTypes(types), aiConfig: aiConfig, userData: userData)
        var items: [SubmitItem]
        do {
            if let mediaId {
                let item = SubmitItem(mediaId: mediaId, types: defaults.types, aiConfig: aiConfig, userData: userData)
                try SubmitInput.validate(item)
                items = [item]
            } else if let from {
                guard let data = FileManager.default.contents(atPath: from) else { throw CLIError("cannot read \(from)") }
                guard let text = String(data: data, encoding: .utf8) else { throw CLIError("\(from) is not UTF-8 text") }
                items = try SubmitInput.parse(text, defaults: defaults)
            } else {
                items = []
            }
            if let callbackURL {
                for index in items.indices {
                    items[index].userData = try SubmitInput.userData(items[index].userData, callbackURL: callbackURL)
                }
            }
        } catch let error as SubmitInputError {
            throw CLIError((from.map { "\($0): " } ?? "") + error.description)
        }
        return items
    }

    private func report(_ summary: SubmitRunner.Summary, out: Output, total: Int, into sink: String) {
        if !json, mediaId != nil {
            out.table(summary.done)
        }
        let accepted = summary.count(.accepted)
        let refused = summary.records.filter { $0.outcome == .refused }
        let unknown = summary.count(.unknown)
        for record in refused.prefix(20) {
            out.note("refused: media \(record.mediaId) \(record.aiType): \(record.error.map(Self.describe) ?? "no reason given")")
        }
        if refused.count > 20 { out.note("… and \(refused.count - 20) more refused (`vodhook jobs --status refused`)") }
        var line =
            "\(summary.done.count) of \(total) media submitted: \(accepted) job(s) accepted, \(refused.count) refused, \(unknown) unknown; recorded in \(sink)"
        if summary.notStarted > 0 { line += "; stopped with \(summary.notStarted) not started (run again to resume)" }
        out.note(line)
    }

    static func describe(_ failure: SubmissionRecord.Failure) -> String { failure.description }
}
