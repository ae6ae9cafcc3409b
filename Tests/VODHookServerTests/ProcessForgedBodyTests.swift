import Foundation
import Testing
import VODHook
import VODHookCore

extension ProcessTests {
    /// VOD signs the URL, timestamp and key, not the body: whoever has one request's headers can
    /// post another body with them. Such a body must not silence VOD's genuine event.
    @Suite("a forged body under a genuine event's key", .serialized)
    struct ProcessForgedBodyTests {
        @Test(
            "forged body first, then VOD's event: both 200 and recorded, the genuine flagged; each retry a duplicate, across a restart; `job` shows the flag"
        )
        func forgedFirst() async throws {
            let sandbox = try ProcessSandbox()
            defer { sandbox.remove() }
            let setup = try ProcessServeSetup(sandbox)
            let jobId = ProcessEvent.jobId("forged")
            let genuine = ProcessEvent.body(jobId: jobId)
            // Same EventType, JobId and Status: the same dedup key, another body.
            let forged = ProcessEvent.body(jobId: jobId, pad: 8)
            try await ProcessHTTP.withClient { client in
                let server = try await setup.start(client: client)
                defer { server.child.forceKill() }
                let first = try await setup.signer.post(client, server, body: forged)
                #expect(first.status == 200 && first.seq == 1 && !first.isDuplicate, "\(first)")
                let real = try await setup.signer.post(client, server, body: genuine)
                #expect(real.status == 200 && real.seq == 2 && !real.isDuplicate, "the genuine event was dropped: \(real)")
                let retry = try await setup.signer.post(client, server, body: genuine)
                #expect(retry.status == 200 && retry.seq == 2 && retry.isDuplicate, "\(retry)")
                let forgedAgain = try await setup.signer.post(client, server, body: forged)
                #expect(forgedAgain.isDuplicate && forgedAgain.seq == 1, "\(forgedAgain)")

                let lines = String(decoding: ProcessLedger.bytes(setup.dataDir), as: UTF8.self).split(separator: "\n")
                #expect(lines.count == 2)
                #expect(lines.last?.contains(#""duplicate_of":1,"body_differs":true"#) == true, "\(lines)")
                let entries = ProcessLedger.entries(setup.dataDir)
                #expect(entries.map(\.duplicateOf) == [nil, 1])

                let job = try await sandbox.runVODHook(["job", jobId, "--data-dir", setup.dataDir])
                #expect(job.exit.isCleanExit, "\(job)")
                #expect(job.stdout.contains("BODY DIFFERS from seq 1") && job.stdout.contains("warning: 1 event(s)"), "\(job)")
                let jobs = try await sandbox.runVODHook(["jobs", "--json", "--data-dir", setup.dataDir])
                #expect(jobs.stdout.contains(#""differing_bodies":1"#), "\(jobs)")
                #expect(server.stderr.contains("body_differs"), "not logged:\n\(server.stderr)")
                #expect(try await server.terminate().isCleanExit)

                let restarted = try await setup.start(client: client)
                defer { restarted.child.forceKill() }
                let afterRestart = try await setup.signer.post(client, restarted, body: genuine)
                #expect(afterRestart.isDuplicate && afterRestart.seq == 2, "\(afterRestart)")
                let forgedAfterRestart = try await setup.signer.post(client, restarted, body: forged)
                #expect(forgedAfterRestart.isDuplicate && forgedAfterRestart.seq == 1, "\(forgedAfterRestart)")
                #expect(try await restarted.terminate().isCleanExit)
                #expect(try await setup.verify().exit.isCleanExit)
            }
        }
    }
}
