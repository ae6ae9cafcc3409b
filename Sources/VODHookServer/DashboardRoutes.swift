import Foundation
public import Hummingbird
public import VODHook
import VODHookCore

/// The dashboard's JSON (`/api/overview`, `/api/jobs`, `/api/jobs/{id}`): read-only, on the
/// admin listener only, from the same job book and query as `vodhook jobs` and `vodhook job`.
public struct DashboardRoutes: Sendable {
    let jobs: FollowedJobBook
    /// Empty while serve reads the ledger at start (the overview says not ready meanwhile).
    let ledger: LedgerGate
    let now: @Sendable () -> Int64

    public init(dataDir: String, ledger: LedgerWriter, now: @escaping @Sendable () -> Int64 = WallClock.milliseconds) {
        self.init(dataDir: dataDir, gate: LedgerGate(ledger), now: now)
    }

    public init(dataDir: String, gate: LedgerGate, now: @escaping @Sendable () -> Int64 = WallClock.milliseconds) {
        jobs = FollowedJobBook(dataDir: dataDir)
        self.ledger = gate
        self.now = now
    }

    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get("api/overview") { _, _ in try await overview() }
        router.get("api/jobs") { request, _ in try await list(request.uri.queryParameters) }
        router.get("api/jobs/:id") { _, context in
            guard let id = context.parameters.get("id") else { return json("{\"error\":\"no job id\"}", status: .badRequest) }
            return try await job(id)
        }
    }

    func snapshot() async throws -> FollowedJobBook.Snapshot {
        do {
            return try await jobs.current(now: now())
        } catch {
            throw HTTPError(.serviceUnavailable, message: "cannot read the ledger")
        }
    }

    func overview() async throws -> Response {
        let now = now()
        let snapshot = try await snapshot()
        var states: [String: Int] = Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0.rawValue, 0) })
        for row in snapshot.book.rows { states[row.state.rawValue, default: 0] += 1 }
        var files = 0
        var bytes: Int64 = 0
        for name in (try? LedgerReader(dataDir: jobs.dataDir).files()) ?? [] {
            files += 1
            let size = (try? FileManager.default.attributesOfItem(atPath: jobs.dataDir + "/" + name.name)[.size]) as? NSNumber
            bytes += size?.int64Value ?? 0
        }
        let jobStates = JobState.allCases.map { "\"\($0.rawValue)\":\(states[$0.rawValue] ?? 0)" }.joined(separator: ",")
        let text =
            "{\"ready\":\(ledger.current?.isReady ?? false),\"last_seq\":\(snapshot.lastSeq.map(String.init) ?? "null")"
            + ",\"events_last_hour\":\(snapshot.events(since: now, span: 3_600_000))"
            + ",\"events_last_day\":\(snapshot.events(since: now, span: 86_400_000))"
            + ",\"jobs\":{\(jobStates)},\"ledger_files\":\(files),\"ledger_bytes\":\(bytes),\"unreadable_lines\":\(snapshot.unreadable)}"
        return json(text)
    }

    /// `vodhook jobs`' filters: `state`, `media_id`, `since` (2h, or UTC RFC 3339).
    func list(_ query: Parameters) async throws -> Response {
        var state: JobState?
        if let text = query.get("state") {
            guard let parsed = JobState(rawValue: text) else { return json("{\"error\":\"unknown state\"}", status: .badRequest) }
            state = parsed
        }
        var since: Int64?
        if let text = query.get("since") {
            guard let instant = TimeSpec.instant(text, now: now()) else {
                return json("{\"error\":\"bad since\"}", status: .badRequest)
            }
            since = instant
        }
        let rows = try await snapshot().book.rows(state: state, mediaId: query.get("media_id"), since: since)
        return json("[" + rows.map { $0.jsonLine() }.joined(separator: ",") + "]")
    }

    /// One job's row from its own lines, found through the job index as `vodhook job` finds them:
    /// no book of every job (whose first build reads the whole history). Off the event loop.
    func job(_ id: String) async throws -> Response {
        let dataDir = jobs.dataDir
        let history: JobHistory
        do {
            history = try await Task.detached { try JobHistory.read(dataDir: dataDir, jobId: id) }.value
        } catch {
            throw HTTPError(.serviceUnavailable, message: "cannot read the ledger")
        }
        guard let row = history.book.row(jobId: id) else {
            return json("{\"error\":\"no such job\"}", status: .notFound)
        }
        return json(row.jsonLine())
    }

    func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: .init(string: text + "\n")))
    }
}
