import AsyncHTTPClient
import Foundation
import Testing
import VODHookCore

extension ProcessTests {
    /// The dashboard's JSON on a real `vodhook serve`, over real HTTP, against the ledger it wrote.
    @Suite("dashboard /api as a child process", .serialized)
    struct ProcessDashboardAPITests {
        static func object(_ body: String) throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any], "not an object: \(body)")
        }

        @Test(
            "/api/overview, /api/jobs (with vodhook jobs' filters) and /api/jobs/{id} on the admin listener; 404 on the public one"
        )
        func apiOnAdminOnly() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            try await ProcessHTTP.withClient { client in
                let server = try await setup.start(client: client, ["--admin-listen", "127.0.0.1:0"])
                defer { server.child.forceKill() }
                let admin = try #require(server.adminAddress)
                let done = ProcessEvent.jobId("done")
                let failed = ProcessEvent.jobId("failed")
                #expect(try await setup.send(client, server, jobId: done).status == 200)
                #expect(
                    try await setup.signer.post(client, server, body: ProcessEvent.body(jobId: failed, status: "fail")).status
                        == 200)

                let overview = try await ProcessHTTP.get(client, admin.url("/api/overview"))
                #expect(overview.status == 200, "\(overview.body)")
                let numbers = try Self.object(overview.body)
                #expect(numbers["last_seq"] as? Int == 2)
                #expect(numbers["events_last_hour"] as? Int == 2)
                #expect(numbers["ready"] as? Bool == true)
                #expect(numbers["ledger_files"] as? Int == 1)
                let size = try FileManager.default.attributesOfItem(atPath: setup.dataDir + "/ledger.jsonl")[.size] as? NSNumber
                #expect(numbers["ledger_bytes"] as? Int == size?.intValue)
                let states = try #require(numbers["jobs"] as? [String: Int], "\(overview.body)")
                #expect(states["success"] == 1 && states["fail"] == 1 && states["pending"] == 0, "\(states)")

                let all = try await ProcessHTTP.get(client, admin.url("/api/jobs"))
                let rows = try #require(
                    try JSONSerialization.jsonObject(with: Data(all.body.utf8)) as? [[String: Any]], "\(all.body)")
                #expect(rows.compactMap { $0["job_id"] as? String } == [done, failed])
                let cli = try await sandbox.runVODHook(["jobs", "--json", "--data-dir", setup.dataDir])
                #expect(rows.count == cli.stdout.split(separator: "\n").count, "the API and `vodhook jobs` disagree: \(cli)")

                let failedOnly = try await ProcessHTTP.get(client, admin.url("/api/jobs?state=fail"))
                #expect(failedOnly.body.contains(failed) && !failedOnly.body.contains(done), "\(failedOnly.body)")
                #expect(try await ProcessHTTP.get(client, admin.url("/api/jobs?state=nonsense")).status == 400)

                let one = try await ProcessHTTP.get(client, admin.url("/api/jobs/\(done)"))
                #expect(one.status == 200)
                #expect(try Self.object(one.body)["state"] as? String == "success", "\(one.body)")
                #expect(try await ProcessHTTP.get(client, admin.url("/api/jobs/no-such-job")).status == 404)

                // A third event after the first question: read incrementally, counted.
                #expect(try await setup.send(client, server, jobId: ProcessEvent.jobId()).status == 200)
                let later = try Self.object(try await ProcessHTTP.get(client, admin.url("/api/overview")).body)
                #expect(later["last_seq"] as? Int == 3)

                for path in Self.dashboardPaths(job: done) {
                    let answer = try await ProcessHTTP.get(client, server.url(path))
                    #expect(answer.status == 404, "public listener answered \(answer.status) for \(path)")
                    #expect(try await ProcessHTTP.get(client, admin.url(path)).status == 200, "admin listener: \(path)")
                }
            }
        }

        /// Every page and JSON route of the dashboard, for a job the ledger knows.
        static func dashboardPaths(job: String) -> [String] {
            [
                "/", "/jobs", "/jobs?state=success", "/jobs/\(job)", "/dead", "/dashboard.css", "/api/overview", "/api/jobs",
                "/api/jobs/\(job)", "/api/jobs/\(job)/history", "/api/dead",
            ]
        }

        @Test("without --admin-listen there is no dashboard: the public listener answers 404 for every one of its paths")
        func noAdminNoDashboard() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            try await ProcessHTTP.withClient { client in
                let server = try await setup.start(client: client)
                defer { server.child.forceKill() }
                let job = ProcessEvent.jobId()
                #expect(try await setup.send(client, server, jobId: job).status == 200)
                for path in Self.dashboardPaths(job: job) {
                    let answer = try await ProcessHTTP.get(client, server.url(path))
                    #expect(answer.status == 404, "public listener answered \(answer.status) for \(path)")
                }
            }
        }
    }
}
