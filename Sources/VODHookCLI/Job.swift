import ArgumentParser
import Foundation
import VODHook
import VODHookCore

struct Job: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show one job's whole history: its submission and every event, in ledger order, each handler's outcome under its event.",
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
        var lines: [(LedgerEntry, String)] = []
        // Submissions with no JobId (a `sending` line, or no answer came) are kept aside: this
        // job's result line names its `sending` line, and an event of it may link to either.
        var unanswered: [UInt64: (LedgerEntry, String)] = [:]
        var linked: Set<UInt64> = []
        // Handler lines name their event by seq only; an event comes before its outcomes.
        var events: Set<UInt64> = []
        var outcomes = HandlerOutcomes()
        do {
            try LedgerReader(dataDir: dataDir).forEachLine { line in
                guard line.terminated, let entry = try? LedgerLine.read(line.bytes) else { return }
                if entry.kind.isHandlerLine {
                    guard let seq = entry.eventSeq, events.contains(seq) else { return }
                    outcomes.absorb(entry)
                    lines.append((entry, String(decoding: line.bytes, as: UTF8.self)))
                } else if entry.jobId == jobId {
                    if entry.kind == .event { events.insert(entry.seq) }
                    lines.append((entry, String(decoding: line.bytes, as: UTF8.self)))
                    if let seq = entry.submissionSeq { linked.insert(seq) }
                    if let seq = entry.intentSeq { linked.insert(seq) }
                } else if entry.kind == .submitted, entry.jobId == nil, entry.outcome == .unknown || entry.outcome == .sending {
                    unanswered[entry.seq] = (entry, String(decoding: line.bytes, as: UTF8.self))
                }
            }
        } catch {
            throw CLIError("cannot read the ledger in \(dataDir): \(error)")
        }
        lines += linked.compactMap { unanswered[$0] }
        lines.sort { $0.0.seq < $1.0.seq }
        guard !lines.isEmpty else {
            FileHandle.standardError.write(Data("no job \(jobId) in the ledger in \(dataDir)\n".utf8))
            throw ExitCode(1)
        }
        if json {
            for (_, text) in lines { print(text) }
            return
        }
        var book = JobBook()
        for (entry, _) in lines { book.absorb(entry) }
        if let row = book.row(jobId: jobId) {
            print("job \(jobId)  \(row.aiType ?? "?")  media \(row.mediaId ?? "?")  state \(row.state)"
                + (row.isUnsolicited ? "  (not submitted by vodhook)" : ""))
            if row.differingBodies > 0 {
                print("  warning: \(row.differingBodies) event(s) repeat a recorded event with another body; VOD does not sign"
                    + " the body, so one of them is not VOD's: confirm with VOD (ListAIJob, or the console) before acting")
            }
        }
        for (entry, _) in lines where !entry.kind.isHandlerLine {
            print("  " + Self.describe(entry))
            for outcome in outcomes.outcomes(eventSeq: entry.seq) {
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
            if let error = entry.error { text += "  " + Submit.describe(error) }
            return text
        case .event:
            var text = head + "event      \(entry.eventType ?? "?") \(entry.status ?? "-")  (\(entry.source ?? "?")"
            text += entry.submissionSeq.map { ", answers seq \($0))" } ?? ", uncorrelated)"
            if let first = entry.duplicateOf { text += "  BODY DIFFERS from seq \(first)" }
            return text
        case .handled, .dead, .replay, .other:
            return head + entry.kind.description
        }
    }
}
