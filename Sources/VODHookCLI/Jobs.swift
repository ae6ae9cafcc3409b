import ArgumentParser
import Foundation
import VODHook
import VODHookCore

struct Jobs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the jobs the ledger knows: submitted by vodhook, or seen in callbacks.",
        discussion: """
            States: pending (submitted, no final event yet), success, fail, refused (VOD said no: \
            no job exists), unknown (no answer came: a job may exist), given_up (failed, and a resubmit \
            handler ended its chain at max_attempts). A job submitted by another \
            tool shows "-" as submitted. Reads the ledger files only: safe while `vodhook serve` runs. \
            With --status pending or unknown, the answer comes from a running serve's memory through \
            its control socket, else from the newest checkpoint and the lines after it (the same \
            rows as reading every file, without reading the rotated files).
            """)

    @Option(help: "Only jobs in this state: pending, success, fail, refused, unknown or given_up.")
    var status: String?

    @Option(name: .customLong("media-id"), help: "Only jobs of this media.")
    var mediaId: String?

    @Option(help: "Only jobs first recorded since then: 2h, 3d, 30m, or UTC 2026-11-26T06:00:00Z.")
    var since: String?

    @Flag(help: "One JSON object per job, one a line.")
    var json = false

    @Option(name: .customLong("data-dir"), help: "The data directory holding the ledger.")
    var dataDir = "./vodhook-data"

    func run() async throws {
        let now = WallClock.milliseconds()
        var state: JobState?
        if let status {
            guard let parsed = JobState(rawValue: status) else {
                throw ValidationError("--status: one of \(JobState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            state = parsed
        }
        var sinceInstant: Int64?
        if let since {
            guard let instant = TimeSpec.instant(since, now: now) else {
                throw ValidationError("--since: a span (30m, 2h, 3d) or a UTC time (2026-11-26T06:00:00Z)")
            }
            sinceInstant = instant
        }
        let (rows, unreadable) = try await JobLedger.rows(dataDir, state: state, mediaId: mediaId, since: sinceInstant)
        if json {
            // One buffer, one write: 500 k rows printed line by line took seconds.
            var out: [UInt8] = []
            out.reserveCapacity(rows.count * 512)
            for row in rows { out += row.jsonLine(appendingTo: []) }
            FileHandle.standardOutput.write(Data(out))
        } else if rows.isEmpty {
            print("no jobs" + (state.map { " in state \($0)" } ?? "") + " in \(dataDir)")
        } else {
            FileHandle.standardOutput.write(Data(JobsTable.render(rows, now: now)))
        }
        if unreadable > 0 {
            FileHandle.standardError.write(
                Data("warning: \(unreadable) ledger line(s) could not be read; run `vodhook ledger verify`\n".utf8))
        }
    }
}

enum JobLedger {
    /// The rows `jobs` lists. Open states (pending, unknown) come from a running server's memory
    /// when one answers on the control socket, else from the newest checkpoint and the lines
    /// after it: bounded by the open jobs and the live file, not by history. Other states, and
    /// open ones without a checkpoint, come from reading every file.
    static func rows(_ dataDir: String, state: JobState?, mediaId: String?, since: Int64?) async throws -> (
        [JobBook.Row], Int
    ) {
        if let state, state == .pending || state == .unknown {
            let open = try await withHTTPClient { client in
                do {
                    return try await ControlOpenJobsResponse.fetch(dataDir: dataDir, client: client)
                } catch {
                    throw CLIError("\(error)")
                }
            }
            if let open { return (open.rows(state: state, mediaId: mediaId, since: since), 0) }
            if let (rows, unreadable) = LedgerState.openJobs(dataDir: dataDir) {
                return (rows.filter { $0.matches(state: state, mediaId: mediaId, since: since) }, unreadable)
            }
        }
        let (book, unreadable) = try read(dataDir, since: since)
        return (book.rows(state: state, mediaId: mediaId, since: since), unreadable)
    }

    /// With `since`, the window's rows only (memory for them, not for all history).
    static func read(_ dataDir: String, since: Int64? = nil) throws -> (JobBook, Int) {
        guard FileManager.default.fileExists(atPath: dataDir) else { throw CLIError("no data directory at \(dataDir)") }
        do {
            if let since { return try JobBook.read(dataDir: dataDir, since: since) }
            return try JobBook.read(dataDir: dataDir)
        } catch {
            throw CLIError("cannot read the ledger in \(dataDir): \(error)")
        }
    }
}
