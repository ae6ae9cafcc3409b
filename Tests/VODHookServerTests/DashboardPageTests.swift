import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Mustache
import Testing
import VODHook
import VODHookCore

@testable import VODHookServer

/// The dashboard's pages and JSON rendered from a ledger this test writes (real files, through
/// the real writer), each figure checked against what was written.
@Suite("Dashboard pages")
struct DashboardPageTests {
    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Jobs by name: a (tag, success, a handler ok, dead, then ok again), b (DNA, success, its handler dead), c (audit,
    /// pending), d (audit, unsolicited, success), e (tag whose text is markup), f (unsolicited, fail).
    struct Ledger {
        var dir = ""
        let a = ProcessEvent.jobId("a"), b = ProcessEvent.jobId("b"), c = ProcessEvent.jobId("c")
        let d = ProcessEvent.jobId("d"), e = ProcessEvent.jobId("e"), f = ProcessEvent.jobId("f")
        /// Event lines written.
        let events = 5
        let refused = 3
    }

    static func event(_ type: String, _ jobId: String, status: String = "success") throws -> LedgerRecord {
        let body = Array(
            (SampleEvent.body(type: type, jobId: jobId, mediaId: "m-" + jobId, status: status, eventTime: "2026-11-24T12:03:41Z")
                ?? "")
                .utf8)
        return .event(EventRecord(envelope: try EventParser.envelope(of: body), body: body))
    }

    static func write(_ ledger: Ledger, to writer: LedgerWriter) async throws {
        func submit(_ jobId: String, _ type: String) async throws {
            _ = try await writer.append(
                .submitted(SubmissionRecord(outcome: .accepted, mediaId: "m-" + jobId, aiType: type, jobId: jobId)))
        }
        try await submit(ledger.a, "AIVideoTag")
        let aEvent = try await writer.append(try event("AIVideoTagComplete", ledger.a))
        try await submit(ledger.b, "AIMediaDNA")
        let bEvent = try await writer.append(try event("AIMediaDNAComplete", ledger.b))
        try await submit(ledger.c, "AIMediaAudit")
        _ = try await writer.append(try event("AIMediaAuditComplete", ledger.d))
        let markup = Array(
            (#"{"EventType":"AIVideoTagComplete","JobId":"\#(ledger.e)","MediaId":"m","Status":"success","#
                + #""Data":{"Keyword":[{"Tag":"<script>alert(1)</script>","Times":["7\"><b>"]}]}}"#).utf8)
        _ = try await writer.append(.event(EventRecord(envelope: try EventParser.envelope(of: markup), body: markup)))
        _ = try await writer.append(try event("AIVideoTagComplete", ledger.f, status: "fail"))
        _ = try await writer.append(
            .handled(HandledRecord(handler: "archive", eventSeq: try seq(aEvent), attempt: 1, result: .ok, durationMs: 4)))
        _ = try await writer.append(
            .handled(
                HandledRecord(
                    handler: "notify", eventSeq: try seq(bEvent), attempt: 3, result: .failed, durationMs: 9, reason: "exit 1")))
        _ = try await writer.append(
            .dead(DeadRecord(handler: "notify", eventSeq: try seq(bEvent), attempts: 3, reason: "exit 1: <b>boom</b>")))
        // A dead letter that a later run cleared: not one any more.
        _ = try await writer.append(.dead(DeadRecord(handler: "archive", eventSeq: try seq(aEvent), attempts: 1, reason: "x")))
        _ = try await writer.append(
            .handled(HandledRecord(handler: "archive", eventSeq: try seq(aEvent), attempt: 2, result: .ok, durationMs: 4)))
    }

    static func seq(_ outcome: LedgerWriter.Outcome) throws -> UInt64 {
        switch outcome {
        case .recorded(let seq): seq
        case .duplicate(let seq): seq
        }
    }

    /// The admin listener's router over a ledger `write` fills, with `refused` refusals counted.
    static func withRoutes(
        refused: Int = 0, write: (LedgerWriter, String) async throws -> Void,
        _ body: @escaping @Sendable (any TestClientProtocol, String) async throws -> Void
    ) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vodhook-dash-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let writer = try LedgerWriter(dataDir: dir, logger: logger)
        try await write(writer, dir)
        let tally = CallbackTally(startSeconds: WallClock.seconds())
        for _ in 0..<refused { tally.refused(atSeconds: WallClock.seconds()) }
        let app = buildAdminApplication(
            address: .hostname("127.0.0.1", port: 0), health: HealthRoutes(ledger: writer),
            dashboard: DashboardRoutes(dataDir: dir, ledger: writer, tally: tally), logger: logger)
        try await app.test(.router) { client in try await body(client, dir) }
        await writer.close()
    }

    /// The routes over the ledger of ``write(_:to:)``, with ``Ledger/refused`` refusals counted.
    static func withDashboard(_ body: @escaping @Sendable (any TestClientProtocol, Ledger) async throws -> Void) async throws {
        let jobs = Ledger()
        try await withRoutes(refused: jobs.refused, write: { writer, _ in try await write(jobs, to: writer) }) { client, dir in
            var ledger = jobs
            ledger.dir = dir
            try await body(client, ledger)
        }
    }

    static func get(_ client: some TestClientProtocol, _ uri: String) async throws -> (
        status: HTTPResponse.Status, body: String, type: String
    ) {
        try await client.execute(uri: uri, method: .get) { ($0.status, String(buffer: $0.body), $0.headers[.contentType] ?? "") }
    }

    @Test("every template parses") func templates() throws {
        for text in [
            DashboardTemplates.head, DashboardTemplates.foot, DashboardTemplates.overview, DashboardTemplates.jobs,
            DashboardTemplates.job, DashboardTemplates.dead,
        ] {
            _ = try MustacheTemplate(string: text)
        }
    }

    @Test("the overview shows the ledger's jobs per state, its events, the refusals counted, its size, and the chart")
    func overview() async throws {
        try await Self.withDashboard { client, ledger in
            let page = try await Self.get(client, "/")
            #expect(page.status == .ok && page.type.hasPrefix("text/html"))
            let (book, _) = try JobBook.read(dataDir: ledger.dir)
            for state in JobState.allCases {
                let count = book.rows(state: state).count
                #expect(page.body.contains(#"id="jobs-\#(state.rawValue)">\#(count)</a>"#), "\(state): \(count)")
            }
            #expect(book.rows(state: .success).count == 4 && book.rows(state: .pending).count == 1)
            #expect(page.body.contains(#"id="accepted-hour">\#(ledger.events)</span>"#))
            #expect(page.body.contains(#"id="refused-hour">\#(ledger.refused)</span>"#))
            #expect(page.body.contains(#"id="ready">ready</span>"#))
            let size = try #require(
                FileManager.default.attributesOfItem(atPath: ledger.dir + "/ledger.jsonl")[.size] as? NSNumber)
            #expect(page.body.contains("1 file(s), \(OverviewPage.size(size.int64Value)), last seq 13"), "\(page.body)")
            #expect(page.body.contains("<svg ") && page.body.contains(#"<rect class="accepted""#))
            #expect(page.body.contains(#"<rect class="refused""#))
            #expect(page.body.contains(#"<meta http-equiv="refresh" content="30">"#))
            #expect(!page.body.contains("<script"), "no script on the page")

            let json = try await Self.get(client, "/api/overview")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.body.utf8)) as? [String: Any])
            #expect(object["accepted_last_hour"] as? Int == ledger.events)
            #expect(object["refused_last_hour"] as? Int == ledger.refused && object["refused_last_day"] as? Int == ledger.refused)
            #expect(object["events_last_hour"] as? Int == ledger.events)
            #expect(object["ledger_bytes"] as? Int == size.intValue)
            let minutes = try #require(object["per_minute"] as? [[String: Any]])
            #expect(minutes.count == DashboardOverview.chartMinutes)
            #expect(minutes.reduce(0) { $0 + ($1["refused"] as? Int ?? 0) } == ledger.refused)
            #expect((try await Self.get(client, "/dashboard.css")).type.hasPrefix("text/css"))
        }
    }

    @Test("the jobs page filters as `vodhook jobs` does, from a plain GET form")
    func jobs() async throws {
        try await Self.withDashboard { client, ledger in
            let all = try await Self.get(client, "/jobs")
            #expect(all.body.contains(#"<span id="job-count">6</span>"#))
            let success = try await Self.get(client, "/jobs?state=success&media_id=&since=")
            #expect(success.body.contains(#"<span id="job-count">4</span>"#), "\(success.body)")
            #expect(success.body.contains(#"<option value="success" selected>"#))
            #expect(success.body.contains("/jobs/\(ledger.a)") && !success.body.contains("/jobs/\(ledger.c)"))
            let media = try await Self.get(client, "/jobs?media_id=m-\(ledger.b)")
            #expect(media.body.contains(#"<span id="job-count">1</span>"#) && media.body.contains(ledger.b))
            let later = try await Self.get(client, "/jobs?since=2099-01-01T00:00:00Z")
            #expect(later.body.contains(#"<span id="job-count">0</span>"#) && later.body.contains("no jobs"))
            let bad = try await Self.get(client, "/jobs?state=%3Cx%3E")
            #expect(bad.status == .badRequest && bad.body.contains("unknown state"))
            #expect(!bad.body.contains("<x>"))
        }
    }

    @Test("a job's page: its lines, its decoded result, its handlers; ledger text escaped")
    func job() async throws {
        try await Self.withDashboard { client, ledger in
            let a = try await Self.get(client, "/jobs/\(ledger.a)")
            #expect(a.status == .ok)
            #expect(a.body.contains(#"id="job-state">success</span>"#))
            #expect(a.body.contains("<td>Keyword</td><td>mountain</td><td>1000, 4000</td>"), "\(a.body)")
            #expect(a.body.contains("<td>Keyword</td><td>徒步</td><td>2000</td>"))
            #expect(a.body.contains("handler <strong>archive</strong>: ok (2 runs)"))
            #expect(a.body.contains("seq 1</span>") && a.body.contains("seq 2</span>"))

            let b = try await Self.get(client, "/jobs/\(ledger.b)")
            #expect(b.body.contains("<td>9b0e2c7d41a64f2f8d3c5e6a7b8c9d0e</td><td>0.99</td><td>0.0+14.0 ~ 0.5+14.4</td>"))
            #expect(b.body.contains("handler <strong>notify</strong>: DEAD after 3 attempt(s): exit 1: &lt;b&gt;boom&lt;/b&gt;"))

            let d = try await Self.get(client, "/jobs/\(ledger.d)")
            #expect(d.body.contains(#"<td>overall</td><td><span class="verdict verdict-pass">pass</span></td><td>normal</td>"#))
            #expect(d.body.contains("not submitted by vodhook"))

            let e = try await Self.get(client, "/jobs/\(ledger.e)")
            #expect(e.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !e.body.contains("<script>"))
            #expect(e.body.contains("7&quot;&gt;&lt;b&gt;") && !e.body.contains("<b>"))

            let history = try await Self.get(client, "/api/jobs/\(ledger.a)/history")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(history.body.utf8)) as? [String: Any])
            let lines = try #require(object["lines"] as? [[String: Any]])
            #expect(lines.map { $0["kind"] as? String } == ["submitted", "event"])
            let result = try #require(lines.last?["result"] as? [String: Any])
            #expect((result["tags"] as? [[String: Any]])?.first?["tag"] as? String == "mountain")

            #expect(try await Self.get(client, "/jobs/nope").status == .notFound)
            #expect(try await Self.get(client, "/api/jobs/nope/history").status == .notFound)
        }
    }

    @Test("a JobId with /, ? and # links to its own page") func oddJobId() async throws {
        let write: (LedgerWriter, String) async throws -> Void = { writer, _ in
            _ = try await writer.append(try Self.event("AIVideoTagComplete", "g/../x?y#z <i>"))
        }
        try await Self.withRoutes(write: write) { client, _ in
            let list = try await Self.get(client, "/jobs")
            let link = "/jobs/g%2F..%2Fx%3Fy%23z%20%3Ci%3E"
            #expect(list.body.contains(#"<a href="\#(link)">g/../x?y#z &lt;i&gt;</a>"#), "\(list.body)")
            let page = try await Self.get(client, link)
            #expect(page.status == .ok && page.body.contains(#"id="job-state">success</span>"#), "\(page.body)")
        }
    }

    @Test("a jobs page of more jobs than it shows: the latest, newest first, and the count of all")
    func jobsCut() async throws {
        let total = JobsPage.maxRows + 2
        let write: (LedgerWriter, String) async throws -> Void = { writer, _ in
            _ = try await writer.append((0..<total).map { try Self.event("AIVideoTagComplete", "job-\($0)") })
        }
        try await Self.withRoutes(write: write) { client, _ in
            let list = try await Self.get(client, "/jobs")
            #expect(list.body.contains(#"<span id="job-count">\#(total)</span>"#))
            #expect(list.body.contains(#"<span id="job-shown">\#(JobsPage.maxRows)</span>"#))
            #expect(list.body.components(separatedBy: "<tr><td><a href=").count - 1 == JobsPage.maxRows)
            let newest = try #require(list.body.range(of: ">job-\(total - 1)</a>"))
            let older = try #require(list.body.range(of: ">job-2</a>"))
            #expect(newest.lowerBound < older.lowerBound)
            #expect(!list.body.contains(">job-1</a>") && !list.body.contains(">job-0</a>"))
            let json = try await Self.get(client, "/api/jobs")
            #expect((try JSONSerialization.jsonObject(with: Data(json.body.utf8)) as? [Any])?.count == total)
        }
    }

    @Test("the dead letters, as `vodhook dead` lists them") func dead() async throws {
        try await Self.withDashboard { client, ledger in
            let page = try await Self.get(client, "/dead")
            let outcomes = try LedgerHandlerOutcomes.read(dataDir: ledger.dir) { _ in false }
            #expect(outcomes.outcomes.deadLetters().count == 1)
            #expect(page.body.contains(#"<span id="dead-count">1</span>"#))
            #expect(page.body.contains("<td>notify</td><td>4</td><td>AIMediaDNAComplete</td><td><a href=\"/jobs/\(ledger.b)\">"))
            #expect(page.body.contains("exit 1: &lt;b&gt;boom&lt;/b&gt;"))
            let json = try await Self.get(client, "/api/dead")
            let letters = try #require(try JSONSerialization.jsonObject(with: Data(json.body.utf8)) as? [[String: Any]])
            #expect(letters.count == 1)
            #expect(letters.first?["job_id"] as? String == ledger.b && letters.first?["attempts"] as? Int == 3)
            #expect(letters.first?["event_seq"] as? Int == 4)
        }
    }
}
