import ArgumentParser
import Foundation
import VODHook
import VODHookCore

struct Job: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Show one job's whole history: its submission and every event, in ledger order, each handler's outcome under its event; for a job of a re-submission chain, the whole chain.",
        discussion: """
            Under each event, one line per handler that ran on it (or was asked to): ok, failed (to be \
            retried), DEAD (given up), or replayed (waiting to run), with its runs. With --json, the \
            ledger lines themselves (one JSON object a line, for jq), the events' handled, dead and \
            replay lines included. Exits 1 if the ledger does not know the job.
            """)

    @Argument(help: "The JobId.")
    var jobId: String

    @Flag(help: "Print the job's ledger lines as they are.")
    var json = false

    @Option(name: .customLong("data-dir"), help: "The data directory holding the ledger.")
    var dataDir = "./vodhook-data"

    func run() async throws {
        guard FileManager.default.fileExists(atPath: dataDir) else { throw CLIError("no data directory at \(dataDir)") }
        let history: JobHistory
        do {
            history = try JobHistory.read(dataDir: dataDir, jobId: jobId)
        } catch {
            throw CLIError("cannot read the ledger in \(dataDir): \(error)")
        }
        guard !history.lines.isEmpty else {
            FileHandle.standardError.write(Data("no job \(jobId) in the ledger in \(dataDir)\n".utf8))
            throw ExitCode(1)
        }
        if json {
            for line in history.lines { print(line.text) }
            return
        }
        let book = history.book
        let isChain = history.jobs.count > 1
        if isChain {
            let last = history.jobs.last.flatMap(book.row(jobId:))
            print(
                "chain \(history.chain)  \(history.jobs.count) jobs  state \(last?.state.rawValue ?? "?")"
                    + (last?.state == .givenUp ? "  (no more re-submissions)" : ""))
        }
        for id in history.jobs {
            guard let row = book.row(jobId: id) else { continue }
            print(
                (isChain ? "  " : "") + "job \(id)  \(row.aiType ?? "?")  media \(row.mediaId ?? "?")  state \(row.state)"
                    + (isChain ? "  attempt \(row.attempt ?? 1)" : "")
                    + (row.isUnsolicited ? "  (not submitted by vodhook)" : ""))
            if row.differingBodies > 0 {
                print(
                    "  warning: \(row.differingBodies) event(s) repeat a recorded event with another body; VOD does not sign"
                        + " the body, so one of them is not VOD's: confirm with VOD (ListAIJob, or the console) before acting")
            }
        }
        var outcomes = HandlerOutcomes()
        for line in history.lines where line.entry.kind.isHandlerLine { outcomes.absorb(line.entry) }
        for line in history.lines where !line.entry.kind.isHandlerLine {
            print("  " + Self.describe(line.entry) + (isChain ? "  job \(line.entry.jobId ?? "-")" : ""))
            for outcome in outcomes.outcomes(eventSeq: line.entry.seq) {
                print("      handler \(outcome.handler): \(outcome.summary)")
            }
        }
    }

    static func describe(_ entry: LedgerEntry) -> String {
        let head = "seq \(entry.seq)  \(EventTime.rfc3339(milliseconds: entry.at))  "
        switch entry.kind {
        case .submitted:
            var text = head + "submitted  \(entry.outcome?.rawValue ?? "?")"
            if let request = entry.requestId { text += "  RequestId \(request)" }
            if let attempt = entry.attempt, attempt > 1 { text += "  attempt \(attempt)" }
            if let failed = entry.resubmitOf { text += "  resubmits \(failed)" }
            if let error = entry.error { text += "  " + Submit.describe(error) }
            return text
        case .event:
            var text = head + "event      \(entry.eventType ?? "?") \(entry.status ?? "-")  (\(entry.source ?? "?")"
            text += entry.submissionSeq.map { ", answers seq \($0))" } ?? ", uncorrelated)"
            if let first = entry.duplicateOf { text += "  BODY DIFFERS from seq \(first)" }
            return text
        case .givenUp:
            return head + "given up   chain of \(entry.attempts ?? 0) job(s) ended by handler \(entry.handler ?? "?")"
        case .handled, .dead, .replay, .other:
            return head + entry.kind.description
        }
    }
}
