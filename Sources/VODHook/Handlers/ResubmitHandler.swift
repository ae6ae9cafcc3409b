public import Logging
public import VODHookCore

/// `resubmit`: a failed AI job that vodhook submitted is submitted again (same media, type,
/// config and user data) after the backoff, up to `max_attempts` jobs per chain, through the
/// same runner as `vodhook submit`: a `sending` line before the call, the result line after,
/// both carrying `chain`, `attempt` and `resubmit_of`. At the limit a `given_up` line ends the chain.
///
/// Idempotent, as the dispatcher needs: a job already submitted again (or whose call's answer was
/// lost: a job may exist) or given up is never acted on twice, whatever reruns the event.
/// With `confirm`, VOD's ListAIJob must say the job failed first: VOD does not sign the body, so a
/// forged "fail" could otherwise buy jobs. What VOD says instead is recorded as `reconcile` does.
public struct ResubmitHandler: EventHandler {
    public let name: String
    public let action: ResubmitAction
    public let client: VODClient
    public let ledger: any ResubmitLedger
    public let logger: Logger
    private let now: @Sendable () -> Int64
    private let sleep: @Sendable (Duration) async throws -> Void

    /// - Parameters:
    ///   - client: built from serve's VOD API settings (`--endpoint`/`--region`,
    ///     `--signature-version`, credentials), as for `--reconcile-every`.
    ///   - now: wall-clock Unix milliseconds: the backoff runs from the event's `at`, so a rerun
    ///     after a crash does not wait it again.
    public init(
        name: String, action: ResubmitAction, client: VODClient, ledger: any ResubmitLedger, logger: Logger,
        now: @escaping @Sendable () -> Int64 = WallClock.milliseconds,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.name = name
        self.action = action
        self.client = client
        self.ledger = ledger
        self.logger = logger
        self.now = now
        self.sleep = sleep
    }

    /// The handler of `spec` if it is a `resubmit` one (the dispatcher's factory).
    public static func make(_ spec: HandlerSpec, client: VODClient, ledger: any ResubmitLedger, logger: Logger)
        -> ResubmitHandler?
    {
        guard case .resubmit(let action) = spec.action else { return nil }
        return ResubmitHandler(name: spec.name, action: action, client: client, ledger: ledger, logger: logger)
    }

    public func handle(_ event: HandlerEvent) async throws {
        let entry = event.entry
        var metadata: Logger.Metadata = [
            "handler": "\(name)", "event.seq": "\(entry.seq)", "event.job_id": "\(entry.jobId ?? "-")",
        ]
        // What was done already is checked before anything else: a rerun makes no call at all.
        let done = try entry.jobId.flatMap(ledger.done(for:))
        var submission: SubmissionRecord?
        if done == nil, entry.status == "fail", let seq = entry.submissionSeq {
            submission = try await ledger.submission(seq: seq)
        }
        let step = ResubmitBook.step(
            for: entry, submission: submission, done: done, maxAttempts: action.maxAttempts, handler: name)
        if case .ignore(let reason) = step {
            metadata["reason"] = "\(reason)"
            logger.info("resubmit: nothing to do", metadata: metadata)
            return
        }
        guard let jobId = entry.jobId else { return }
        // Confirmed before giving up too: a forged "fail" must not end a chain either.
        if action.confirm, !(try await confirmFailure(jobId, metadata: metadata)) { return }
        try await act(step, jobId: jobId, at: entry.at, metadata: &metadata)
    }

    private func act(_ step: ResubmitBook.Step, jobId: String, at: Int64, metadata: inout Logger.Metadata) async throws {
        switch step {
        case .ignore:
            return
        case .giveUp(let record):
            guard try ledger.begin(jobId) == nil else { return }
            defer { ledger.end(jobId) }
            _ = try await ledger.append([.givenUp(record)])
            metadata["chain"] = "\(record.chain)"
            metadata["chain.jobs"] = "\(record.attempts)"
            logger.warning("resubmit: chain given up, its last job failed at max_attempts", metadata: metadata)
        case .resubmit(let item):
            let due = at + action.backoff.milliseconds
            let wait = due - now()
            if wait > 0 { try await sleep(.milliseconds(wait)) }
            guard try ledger.begin(jobId) == nil else { return }
            defer { ledger.end(jobId) }
            try await submit(item, metadata: &metadata)
        }
    }

    /// Asks ListAIJob whether `jobId` failed. Anything else is recorded as `reconcile` records it
    /// (a finished job as a `poll` event) and logged; nothing is submitted then.
    private func confirmFailure(_ jobId: String, metadata: Logger.Metadata) async throws -> Bool {
        let answer = try await client.listAIJobs(jobIds: [jobId])
        guard let job = answer.jobs.first(where: { $0.jobId == jobId }) else {
            logger.warning(
                "resubmit: ListAIJob does not know this job; the fail event is not VOD's, nothing submitted",
                metadata: metadata.merging(["vod.request_id": "\(answer.requestId)"]) { $1 })
            return false
        }
        if job.status == "fail" { return true }
        let (records, _) = Reconciler.pollRecords([job], now: now())
        if !records.isEmpty { _ = try await ledger.append(records) }
        logger.warning(
            "resubmit: ListAIJob does not confirm the failure; recorded what VOD says, nothing submitted",
            metadata: metadata.merging(["vod.status": "\(job.status ?? "-")", "vod.request_id": "\(answer.requestId)"]) { $1 })
        return false
    }

    private func submit(_ item: SubmitItem, metadata: inout Logger.Metadata) async throws {
        let runner = SubmitRunner(client: client, sink: ledger, rate: 1, concurrency: 1)
        let summary = await runner.run([item], stop: StopFlag())
        if let error = summary.sinkError { throw ResubmitError("the ledger did not take the lines: \(error)") }
        guard let record = summary.records.first else { throw ResubmitError("the submission was not run") }
        metadata["attempt"] = "\(item.resubmission?.attempt ?? 0)"
        switch record.outcome {
        case .accepted:
            metadata["new.job_id"] = "\(record.jobId ?? "-")"
            logger.notice("resubmit: submitted the failed job again", metadata: metadata)
        case .unknown, .sending:
            // A job may exist: never sent again; its callback will be linked by media and type.
            metadata["error"] = "\(record.error?.description ?? "-")"
            logger.warning("resubmit: VOD's answer was lost; a job may exist, not submitted again", metadata: metadata)
        case .refused:
            // No job was made: the dispatcher's retry may submit it.
            throw ResubmitError("VOD refused the submission: " + (record.error?.description ?? "no reason given"))
        }
    }
}

/// A resubmission that failed and may be tried again.
public struct ResubmitError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }
}

extension Duration {
    /// Whole milliseconds.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
