import Foundation
public import Hummingbird
public import Logging
public import VODHook
import VODHookCore

/// The dashboard: HTML pages (`/`, `/jobs`, `/jobs/{id}`, `/dead`, `/dashboard.css`) and their
/// JSON twins (`/api/overview`, `/api/jobs`, `/api/jobs/{id}`, `/api/jobs/{id}/history`,
/// `/api/dead`). Read-only, on the admin listener only, from the same queries as `vodhook jobs`,
/// `vodhook job` and `vodhook dead`; a page and its JSON are built from one model.
public struct DashboardRoutes: Sendable {
    let jobs: FollowedJobBook
    /// Empty while serve reads the ledger at start (the overview says not ready meanwhile).
    let ledger: LedgerGate
    let tally: CallbackTally
    let now: @Sendable () -> Int64
    let pages = DashboardPages()

    /// `tally`: the callback listener's answers per minute (a fresh one counts nothing).
    public init(
        dataDir: String, ledger: LedgerWriter, tally: CallbackTally? = nil, logger: Logger? = nil,
        now: @escaping @Sendable () -> Int64 = WallClock.milliseconds
    ) {
        self.init(dataDir: dataDir, gate: LedgerGate(ledger), tally: tally, logger: logger, now: now)
    }

    /// `logger`: where a full read of the ledger for the dead letters is announced.
    public init(
        dataDir: String, gate: LedgerGate, tally: CallbackTally? = nil, logger: Logger? = nil,
        now: @escaping @Sendable () -> Int64 = WallClock.milliseconds
    ) {
        jobs = FollowedJobBook(dataDir: dataDir, logger: logger)
        self.ledger = gate
        self.tally = tally ?? CallbackTally(startSeconds: now() / 1000)
        self.now = now
    }

    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("api/overview") { _, _ in try await json(overview()) }
        router.get("api/jobs") { request, _ in
            switch JobFilter.parse(request.uri.queryParameters, now: now()) {
            case .failure(let error): return jsonText(#"{"error":"\#(error.message)"}"#, status: .badRequest)
            case .success(let filter):
                let rows = try await rows(filter)
                return jsonText("[" + rows.map { $0.jsonLine() }.joined(separator: ",") + "]")
            }
        }
        router.get("api/jobs/:id") { _, context in
            let id = jobId(context.parameters)
            guard let row = try await jobHistory(id).book.row(jobId: id) else {
                return jsonText(#"{"error":"no such job"}"#, status: .notFound)
            }
            return jsonText(row.jsonLine())
        }
        router.get("api/jobs/:id/history") { _, context in
            guard let job = try await history(jobId(context.parameters)) else {
                return jsonText(#"{"error":"no such job"}"#, status: .notFound)
            }
            return try json(job)
        }
        router.get("api/dead") { _, _ in try json(try await deadLetters()) }

        router.get("/") { _, _ in html(pages.render(OverviewPage(try await overview(), now: now()), template: "overview")) }
        router.get("jobs") { request, _ in try await jobsPage(request.uri.queryParameters) }
        router.get("jobs/:id") { _, context in
            let id = jobId(context.parameters)
            let job = try await history(id)
            let page = JobPage(title: "Job " + id, renderedAt: EventTime.rfc3339(milliseconds: now()), job: job)
            return html(pages.render(page, template: "job"), status: job == nil ? .notFound : .ok)
        }
        router.get("dead") { _, _ in
            let letters = try await deadLetters()
            let page = DeadPage(renderedAt: EventTime.rfc3339(milliseconds: now()), letters: letters, count: letters.count)
            return html(pages.render(page, template: "dead"))
        }
        router.get("dashboard.css") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=300"],
                body: .init(byteBuffer: .init(string: DashboardStyle.css)))
        }
    }

    /// The `{id}` of a path, percent-decoded (the router matches the path as sent, so a JobId
    /// holding `/` arrives whole, encoded).
    func jobId(_ parameters: Parameters) -> String {
        let raw = parameters.get("id") ?? ""
        return raw.removingPercentEncoding ?? raw
    }

    func snapshot() async throws -> FollowedJobBook.Snapshot {
        do {
            return try await jobs.current(now: now())
        } catch {
            throw HTTPError(.serviceUnavailable, message: "cannot read the ledger")
        }
    }

    func overview() async throws -> DashboardOverview {
        let now = now()
        let snapshot = try await snapshot()
        var files = 0
        var bytes: Int64 = 0
        for name in (try? LedgerReader(dataDir: jobs.dataDir).files()) ?? [] {
            files += 1
            let size = (try? FileManager.default.attributesOfItem(atPath: jobs.dataDir + "/" + name.name)[.size]) as? NSNumber
            bytes += size?.int64Value ?? 0
        }
        return DashboardOverview(
            snapshot: snapshot, tally: tally.snapshot,
            open: ledger.current.map { ($0.telemetry.pendingJobs, $0.telemetry.unknownJobs) },
            ready: ledger.current?.isReady ?? false,
            files: files, bytes: bytes, now: now)
    }

    /// `vodhook jobs`' rows: pending and unknown jobs of any age from the server's memory, the
    /// others from the last day's book.
    func rows(_ filter: JobFilter) async throws -> [JobBook.Row] {
        if let state = filter.state, state == .pending || state == .unknown, let open = ledger.current?.openJobs {
            return open.filter { $0.matches(state: state, mediaId: filter.mediaId, since: filter.since) }
        }
        return try await snapshot().book.rows(state: filter.state, mediaId: filter.mediaId, since: filter.since)
    }

    /// `vodhook job`'s query (``JobHistory``); nil when the ledger does not know the job.
    func history(_ id: String) async throws -> DashboardJob? {
        DashboardJob(try await jobHistory(id))
    }

    /// One job's lines, found through the job index as `vodhook job` finds them (no book of
    /// every job), read off the event loop.
    func jobHistory(_ id: String) async throws -> JobHistory {
        let dataDir = jobs.dataDir
        do {
            return try await Task.detached { try JobHistory.read(dataDir: dataDir, jobId: id) }.value
        } catch {
            throw HTTPError(.serviceUnavailable, message: "cannot read the ledger")
        }
    }

    func deadLetters() async throws -> [DashboardDeadLetter] {
        do {
            return try await jobs.deadLetters(now: now())
        } catch {
            throw HTTPError(.serviceUnavailable, message: "cannot read the ledger")
        }
    }

    func jobsPage(_ query: Parameters) async throws -> Response {
        let filter = JobFilter.parse(query, now: now())
        let chosen = try? filter.get()
        var rows: [JobBook.Row] = []
        if let chosen { rows = try await self.rows(chosen) }
        let now = now()
        let page = JobsPage(
            renderedAt: EventTime.rfc3339(milliseconds: now),
            states: JobState.allCases.map { .init(value: $0.rawValue, selected: query.get("state") == $0.rawValue) },
            mediaId: query.get("media_id") ?? "", since: query.get("since") ?? "",
            error: { if case .failure(let error) = filter { error.message } else { nil } }(),
            rows: rows.suffix(JobsPage.maxRows).reversed().map { DashboardJobRow($0, now: now) }, count: rows.count,
            shown: min(rows.count, JobsPage.maxRows), cut: rows.count > JobsPage.maxRows)
        return html(pages.render(page, template: "jobs"), status: chosen == nil ? .badRequest : .ok)
    }

    func json(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return jsonText(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    func jsonText(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: .init(string: text + "\n")))
    }

    /// No script runs on these pages, and none may: the policy forbids it outright.
    func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8",
                .contentSecurityPolicy: "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'",
                .xContentTypeOptions: "nosniff",
            ],
            body: .init(byteBuffer: .init(string: text)))
    }
}

/// `vodhook jobs`' filters as a query: `state`, `media_id`, `since` (2h, or UTC RFC 3339); a
/// blank one (an empty form field) filters nothing.
struct JobFilter {
    struct Invalid: Error {
        let message: String
    }

    var state: JobState?
    var mediaId: String?
    var since: Int64?

    static func parse(_ query: Parameters, now: Int64, window: Int64 = 86_400_000) -> Result<JobFilter, Invalid> {
        var filter = JobFilter()
        if let text = query.get("state"), !text.isEmpty {
            guard let state = JobState(rawValue: text) else { return .failure(Invalid(message: "unknown state")) }
            filter.state = state
        }
        if let text = query.get("media_id"), !text.isEmpty { filter.mediaId = text }
        if let text = query.get("since"), !text.isEmpty {
            guard let instant = TimeSpec.instant(text, now: now) else {
                return .failure(Invalid(message: "bad since: a span (30m, 2h, 3d) or a UTC time (2026-11-26T06:00:00Z)"))
            }
            filter.since = instant
        }
        // Pending and unknown jobs of any age are in memory; the rest only for the last day.
        if let since = filter.since, since < now - window, filter.state != .pending, filter.state != .unknown {
            return .failure(Invalid(message: "the dashboard keeps the last 24 h; for older jobs: vodhook jobs --since"))
        }
        return .success(filter)
    }
}
