import AsyncHTTPClient
import Foundation
import NIOCore
import Testing
import VODHookCore

extension ProcessTests {
    /// The dashboard as a person sees it: headless Chromium renders pages of a real `vodhook serve`
    /// after real signed callbacks, and the test reads the DOM it built; screenshots go to `.build/`.
    @Suite("dashboard in headless Chromium", .serialized)
    struct ProcessDashboardBrowserTests {
        static var chromium: String? {
            ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
        }

        /// Runs Chromium headless on `url` with `arguments`, with a profile of its own in `sandbox`.
        static func browse(_ sandbox: ProcessSandbox, _ chromium: String, _ arguments: [String], _ url: String) async throws
            -> ProcessCLIResult
        {
            let result = try await sandbox.run(
                chromium,
                [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--user-data-dir=" + sandbox.file("chromium"),
                ]
                    + arguments + [url],
                environment: ["HOME": sandbox.path], timeout: .seconds(90))
            #expect(result.exit.isCleanExit, "chromium: \(result)")
            return result
        }

        @Test("the overview and a job's page, rendered by Chromium: the job, its state, the chart; screenshots in .build/")
        func pagesInChromium() async throws {
            guard let chromium = Self.chromium else {
                let reason = "chromium is not installed (scripts/test installs it as root: apt-get install chromium)"
                if ProcessInfo.processInfo.environment["CI"] == "true" {
                    Issue.record(Comment(rawValue: reason))
                } else {
                    print("skipped the browser test: \(reason)")
                }
                return
            }
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            try await ProcessHTTP.withClient { client in
                let server = try await setup.start(client: client, ["--admin-listen", "127.0.0.1:0"])
                defer { server.child.forceKill() }
                let admin = try #require(server.adminAddress)
                let job = ProcessEvent.jobId("seen")
                let body = try #require(
                    SampleEvent.body(
                        type: "AIVideoTagComplete", jobId: job, mediaId: "4fefd4f434d07c2005373156a727d707", status: "success",
                        eventTime: "2026-11-26T05:33:15Z"))
                #expect(try await setup.signer.post(client, server, body: Array(body.utf8)).status == 200)
                let forged = try await ProcessHTTP.send(
                    client, server.url("/vod/callback"), headers: setup.signer.headers(key: "not-the-key"),
                    body: .bytes(ByteBuffer(string: body)))
                #expect(forged.status == 403)

                let overview = try await Self.browse(sandbox, chromium, ["--dump-dom"], admin.url("/"))
                #expect(overview.stdout.contains(#"id="jobs-success">1</a>"#), "\(overview.stdout.prefix(3000))")
                #expect(overview.stdout.contains(#"id="accepted-hour">1</span>"#))
                #expect(overview.stdout.contains(#"id="refused-hour">1</span>"#))
                #expect(overview.stdout.contains("<svg") && overview.stdout.contains(#"<rect class="refused""#))

                let page = try await Self.browse(sandbox, chromium, ["--dump-dom"], admin.url("/jobs/\(job)"))
                #expect(page.stdout.contains(job))
                #expect(page.stdout.contains(#"id="job-state">success</span>"#), "\(page.stdout.prefix(3000))")
                #expect(page.stdout.contains("<td>mountain</td>"))

                let build = FileManager.default.currentDirectoryPath + "/.build"
                for (name, path) in [("overview", "/"), ("job", "/jobs/\(job)"), ("jobs", "/jobs"), ("dead", "/dead")] {
                    let file = build + "/dashboard-\(name).png"
                    try? FileManager.default.removeItem(atPath: file)
                    _ = try await Self.browse(
                        sandbox, chromium, ["--hide-scrollbars", "--window-size=1200,900", "--screenshot=" + file],
                        admin.url(path))
                    let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.intValue ?? 0
                    #expect(size > 1000, "no screenshot at \(file)")
                }
            }
        }
    }
}
