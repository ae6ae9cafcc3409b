public import Logging
public import VODHookCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The `exec` action: runs the handler's program once per call, the event's JSON on its stdin,
/// and throws an ``ExecFailure`` unless it exits 0 within the timeout (the dispatcher retries).
public struct ExecHandler: EventHandler {
    public let name: String
    public let action: ExecAction
    /// vodhook's own environment, from which only the names the handler lists under `env:` pass.
    public let parentEnvironment: [String: String]
    public let logger: Logger
    /// Where runs in flight are noted, for the next start to stop what a kill -9 left (serve's).
    public let groups: ExecGroupRegistry?

    public init(
        name: String, action: ExecAction, parentEnvironment: [String: String], logger: Logger,
        groups: ExecGroupRegistry? = nil
    ) {
        _ = Self.ignoreBrokenPipes
        self.name = name
        self.action = action
        self.parentEnvironment = parentEnvironment
        self.logger = logger
        self.groups = groups
    }

    /// A program that exits or closes stdin before reading the whole event turns the write into
    /// EPIPE, which must not be a SIGPIPE that ends vodhook. (NIO ignores it too, process-wide,
    /// once it opens a socket; a process that runs handlers without NIO needs it as well.)
    private static let ignoreBrokenPipes: Void = {
        _ = signal(SIGPIPE, SIG_IGN)
    }()

    public func handle(_ event: HandlerEvent) async throws {
        let report = try await run(event)
        log(report, event: event)
        // Cancelled (serve stopping): the group was stopped, but the program did not fail; the
        // run is not over for the dispatcher, which dispatches it again at the next start.
        try Task.checkCancellation()
        if let failure = report.failure { throw failure }
    }

    /// Runs the program for `event` and reports how it ended; throws only when it could not start
    /// (logged here too, so every run has its log line).
    public func run(_ event: HandlerEvent) async throws(ExecFailure) -> ExecReport {
        let run = ExecRun(
            argv: action.argv.map { $0.argument(for: event.entry) },
            environment: HandlerEnvironment.variables(
                for: event.entry, handler: name, attempt: event.attempt, action: action, parent: parentEnvironment),
            cwd: action.cwd ?? "/",
            stdin: event.body,
            timeout: action.timeout,
            killAfter: action.killAfter,
            outputCap: action.outputCap,
            groups: groups)
        do {
            return try await run.run()
        } catch {
            logger.warning(
                "exec handler could not run its program",
                metadata: metadata(event).merging([
                    "error": "\(error)"
                ]) { $1 })
            throw error
        }
    }

    /// One line per run: how it ended, and the tail of what it wrote (escaped, so a program's
    /// output cannot forge log lines).
    private func log(_ report: ExecReport, event: HandlerEvent) {
        var metadata = metadata(event)
        metadata["exec.exit"] = "\(report.ending)"
        metadata["exec.stdout"] = "\(report.stdout.logText)"
        metadata["exec.stderr"] = "\(report.stderr.logText)"
        metadata["exec.stdout_bytes"] = "\(report.stdout.total)"
        metadata["exec.stderr_bytes"] = "\(report.stderr.total)"
        if report.stoppedLeftovers { metadata["exec.stopped_leftovers"] = "true" }
        if Task.isCancelled {
            logger.notice("exec handler stopped with serve; it runs again at the next start", metadata: metadata)
        } else if let failure = report.failure {
            metadata["error"] = "\(failure)"
            logger.warning("exec handler failed", metadata: metadata)
        } else {
            logger.info("exec handler ran", metadata: metadata)
        }
    }

    private func metadata(_ event: HandlerEvent) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            "handler": "\(name)",
            "event.seq": "\(event.entry.seq)",
            "handler.attempt": "\(event.attempt)",
        ]
        if let jobId = event.entry.jobId { metadata["job_id"] = "\(LogText.escaped(jobId))" }
        return metadata
    }
}
